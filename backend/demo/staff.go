package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"cockpit/backend/engine"
	"cockpit/backend/people"
	"cockpit/backend/shifts"
	"cockpit/backend/store"
)

// StaffPassword is every demo user's password. The demo workspace holds invented data only; a newcomer
// needs to sign in as each role to see what it may do, so the password is printed, not kept secret.
const StaffPassword = "cockpit-demo"

// Member is one demo user.
type Member struct {
	Username, Name string
	Role           people.Role
}

// Staff are the demo workspace's people: three supervisors who share the day in three shifts, the legal
// liaison, two managers and the admin (the roles of the seed manuals' escalation path).
var Staff = []Member{
	{"admin", "系统管理员 Admin", people.Admin},
	{"zhang.wei", "张伟（早班主管）", people.Supervisor},
	{"li.na", "李娜（中班主管）", people.Supervisor},
	{"wang.qiang", "王强（夜班主管）", people.Supervisor},
	{"chen.jing", "陈静（法务联络）", people.Legal},
	{"zhao.min", "赵敏（客服经理）", people.Manager},
	{"liu.yang", "刘洋（运营经理）", people.Manager},
}

// slot is one of the three daily shifts, in Shanghai time.
type slot struct {
	name       string
	startHour  int
	supervisor string
}

var slots = []slot{{"夜班 Night", 0, "wang.qiang"}, {"早班 Early", 8, "zhang.wei"}, {"中班 Late", 16, "li.na"}}

// ensureStaff creates the demo users through the people service (argon2id hashes, audited) when the
// workspace has nobody yet, and returns them by username. A workspace whose users were made by hand is
// left alone; then found holds whichever demo users exist.
func ensureStaff(ctx context.Context, svc *people.Service) (map[string]people.User, error) {
	found := map[string]people.User{}
	need, err := svc.NeedsSetup(ctx)
	if err != nil {
		return nil, err
	}
	if need {
		admin, err := svc.Setup(ctx, people.NewUser{Username: Staff[0].Username, DisplayName: Staff[0].Name, Password: StaffPassword})
		if err != nil {
			return nil, fmt.Errorf("demo admin: %w", err)
		}
		for _, m := range Staff[1:] {
			if _, err := svc.Create(ctx, admin, people.NewUser{Username: m.Username, DisplayName: m.Name, Role: m.Role, Password: StaffPassword}); err != nil {
				return nil, fmt.Errorf("demo user %s: %w", m.Username, err)
			}
		}
	}
	for _, m := range Staff {
		u, err := svc.Store.PersonByUsername(ctx, m.Username)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found[m.Username] = u
	}
	return found, nil
}

// ensureRoster puts the three daily shifts on the roster for every day from `from` to `to` (Shanghai
// days) that lacks them, through the shifts service, so the case engine finds a supervisor on duty.
func ensureRoster(ctx context.Context, st *store.Store, eng *engine.Engine, staff map[string]people.User, from, to time.Time) error {
	admin, ok := staff["admin"]
	if !ok {
		return nil // not the demo's users: the roster is theirs to keep
	}
	existing, err := st.Shifts(ctx, from.Add(-24*time.Hour), to.Add(24*time.Hour))
	if err != nil {
		return err
	}
	have := map[time.Time]bool{}
	for _, sh := range existing {
		have[sh.StartsAt.UTC()] = true
	}
	svc := &shifts.Service{Store: st, Engine: eng}
	f := from.In(shanghai)
	for day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, shanghai); day.Before(to); day = day.AddDate(0, 0, 1) {
		for i, sl := range slots {
			start := day.Add(time.Duration(sl.startHour) * time.Hour)
			sup, ok := staff[sl.supervisor]
			if have[start.UTC()] || !ok {
				continue
			}
			manager := staff[[]string{"zhao.min", "liu.yang"}[(day.YearDay()+i)%2]]
			if _, err := svc.AddShift(ctx, admin, shifts.ShiftInput{Name: sl.name, StartsAt: start, EndsAt: start.Add(8 * time.Hour),
				SupervisorID: sup.ID, ManagerID: manager.ID}); err != nil {
				return fmt.Errorf("demo roster %s: %w", start.Format("2006-01-02 15:04"), err)
			}
		}
	}
	return nil
}
