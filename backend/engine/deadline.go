package engine

import (
	"fmt"
	"time"

	"cockpit/backend/calendar"
	"cockpit/backend/rules"
)

// DeadlineQuery asks the calendar for the end of a period, as `cockpit deadline` and the UI's
// calculator do. Exactly one of WorkingDays and Days is set.
type DeadlineQuery struct {
	From        string `json:"from"` // YYYY-MM-DD (the trigger day) or RFC 3339
	WorkingDays int    `json:"working_days"`
	Days        int    `json:"days"`
	Extend      string `json:"extend"` // days only: none | holidays | rest_days (default: the rules')
}

// DeadlineAnswer is the due date with the days skipped, in the shape `deadline --json` prints.
type DeadlineAnswer struct {
	DueDate string         `json:"due_date"`
	DueAt   string         `json:"due_at"` // RFC 3339, the last second of the due date in the rules' zone
	Skipped []calendar.Day `json:"skipped"`
}

// ComputeDeadline counts the period with the rules' calendar. A year without a holiday table is an
// error wrapping calendar.UnknownYearError, never a guessed date.
func ComputeDeadline(comp *rules.Compiled, q DeadlineQuery) (DeadlineAnswer, error) {
	var trigger time.Time
	if d, err := calendar.ParseDate(q.From); err == nil {
		trigger = d.Start(comp.Loc)
	} else if t, err := time.Parse(time.RFC3339, q.From); err == nil {
		trigger = t
	} else {
		return DeadlineAnswer{}, fmt.Errorf("%w: --from %q: want YYYY-MM-DD or RFC 3339", ErrInvalid, q.From)
	}
	var due calendar.Due
	var err error
	switch {
	case q.WorkingDays > 0 && q.Days > 0, q.WorkingDays <= 0 && q.Days <= 0:
		return DeadlineAnswer{}, fmt.Errorf("%w: give exactly one positive period: working days or days", ErrInvalid)
	case q.WorkingDays > 0:
		due, err = comp.Calendar.AddWorkingDays(trigger, comp.Loc, q.WorkingDays)
	default:
		ext := q.Extend
		if ext == "" {
			ext = comp.Set.ExtendDefault
		}
		p, perr := calendar.ParseExtend(ext)
		if perr != nil {
			return DeadlineAnswer{}, fmt.Errorf("%w: %v", ErrInvalid, perr)
		}
		due, err = comp.Calendar.AddCalendarDays(trigger, comp.Loc, q.Days, p)
	}
	if err != nil {
		if _, unknown := calendar.IsUnknownYear(err); unknown {
			return DeadlineAnswer{}, err
		}
		return DeadlineAnswer{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return DeadlineAnswer{DueDate: due.Date.String(), DueAt: due.At.Add(-time.Second).Format(time.RFC3339), Skipped: due.Skipped}, nil
}
