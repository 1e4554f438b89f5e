package companion

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"cockpit/backend/clocks"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

var t0 = time.Date(2026, 6, 18, 8, 0, 0, 0, time.UTC)

// scripted is a Reader that returns prepared snapshots: these tests are about what the companion does
// with a reading; StoreReader has its own test on a real database below.
type scripted struct {
	snaps []Snapshot
	errs  []error
}

func (s *scripted) Read(context.Context, time.Time) (Snapshot, error) {
	snap, err := s.snaps[0], s.errs[0]
	s.snaps, s.errs = s.snaps[1:], s.errs[1:]
	return snap, err
}

func newTestCompanion(t *testing.T, lang Lang) (*Companion, *[]*fyne.Notification, *[]int64) {
	t.Helper()
	a := test.NewTempApp(t)
	var opened []int64
	c := New(a, Config{Soon: time.Hour, Every: time.Minute, Zone: time.UTC, Lang: lang}, &scripted{}, &clocks.Fixed{T: t0},
		func(id int64) error { opened = append(opened, id); return nil }, io.Discard)
	var sent []*fyne.Notification
	c.Notify = func(n *fyne.Notification) { sent = append(sent, n) }
	return c, &sent, &opened
}

func red(id int64, title string) Item { return Item{Key: "case:" + title, CaseID: id, Title: title} }

func TestNotifications(t *testing.T) {
	c, sent, _ := newTestCompanion(t, English)
	mineSoon := Item{Key: "clock:7:reply:soon", CaseID: 7, Title: "Order 123 late", DueAt: t0.Add(20 * time.Minute)}
	mineLate := mineSoon
	mineLate.Key, mineLate.Breached = "clock:7:reply:breached", true
	steps := []struct {
		snap Snapshot
		want []string // "title: body"
	}{
		// The first reading summarises instead of announcing each existing alert.
		{Snapshot{Breached: 2, Red: []Item{red(1, "milk batch")}}, []string{"Cockpit: 1 red alerts open, 2 clocks breached"}},
		{Snapshot{Breached: 2, Red: []Item{red(1, "milk batch")}}, nil},
		{Snapshot{Red: []Item{red(1, "milk batch"), red(2, "allergy")}, Mine: []Item{mineSoon}},
			[]string{"Red alert: #2 allergy", "Clock about to breach: #7 Order 123 late (due 08:20)"}},
		{Snapshot{Red: []Item{red(2, "allergy")}, Mine: []Item{mineLate}}, []string{"Clock breached: #7 Order 123 late (breached 06-18 08:20)"}},
		// An alert that cleared and came back is news again.
		{Snapshot{Red: []Item{red(1, "milk batch"), red(2, "allergy")}, Mine: []Item{mineLate}}, []string{"Red alert: #1 milk batch"}},
	}
	for i, s := range steps {
		*sent = nil
		c.Apply(s.snap, nil)
		var got []string
		for _, n := range *sent {
			got = append(got, n.Title+": "+n.Content)
		}
		if strings.Join(got, "|") != strings.Join(s.want, "|") {
			t.Errorf("step %d: sent %q, want %q", i, got, s.want)
		}
	}
}

// Through the real test app: a new red alert reaches App.SendNotification.
func TestNotificationReachesApp(t *testing.T) {
	a := test.NewTempApp(t)
	c := New(a, Config{Soon: time.Hour, Every: time.Minute, Zone: time.UTC, Lang: Chinese}, &scripted{}, &clocks.Fixed{T: t0},
		func(int64) error { return nil }, io.Discard)
	c.Apply(Snapshot{}, nil)
	test.AssertNotificationSent(t, fyne.NewNotification("红色预警", "群体事件：批号 BY2605A17"), func() {
		c.Apply(Snapshot{OpenIncidents: 1, Red: []Item{{Key: "incident:1", Title: "批号 BY2605A17"}}}, nil)
	})
}

func TestMenuAndOpen(t *testing.T) {
	c, _, opened := newTestCompanion(t, English)
	c.Apply(Snapshot{Breached: 3, DueSoon: 1, OpenIncidents: 1,
		Red:  []Item{{Key: "incident:4", Title: "batch X"}, red(12, "allergy")},
		Mine: []Item{{Key: "clock:9:a:soon", CaseID: 9, Title: "refund", DueAt: t0.Add(30 * time.Minute)}}}, nil)
	var labels []string
	byLabel := map[string]*fyne.MenuItem{}
	for _, it := range c.Menu().Items {
		if it.IsSeparator {
			labels = append(labels, "---")
			continue
		}
		labels = append(labels, it.Label)
		byLabel[it.Label] = it
	}
	want := "Clocks breached: 3|Due within 1h: 1|Open incidents: 1|---|Red alerts|Incident: batch X|#12 allergy|---|My clocks|#9 refund (due 08:30)|---|Open Cockpit|Quit"
	if got := strings.Join(labels, "|"); got != want {
		t.Fatalf("menu\n got %s\nwant %s", got, want)
	}
	if !byLabel["Clocks breached: 3"].Disabled || byLabel["#12 allergy"].Disabled {
		t.Error("counts must be disabled lines and alerts clickable")
	}
	byLabel["#12 allergy"].Action()
	byLabel["Incident: batch X"].Action()
	byLabel["#9 refund (due 08:30)"].Action()
	byLabel["Open Cockpit"].Action()
	if got := *opened; len(got) != 4 || got[0] != 12 || got[1] != 0 || got[2] != 9 || got[3] != 0 {
		t.Errorf("opened %v, want [12 0 9 0]", got)
	}
}

func TestLaunchFailureIsNotified(t *testing.T) {
	c, sent, _ := newTestCompanion(t, English)
	c.Open = func(int64) error { return errors.New("cockpit is not beside cockpit-tray nor on PATH") }
	c.Apply(Snapshot{}, nil)
	c.Menu().Items[len(c.Menu().Items)-2].Action()
	if len(*sent) != 1 || !strings.Contains((*sent)[0].Content, "not beside") {
		t.Errorf("launch failure: %+v", *sent)
	}
}

// A failed read keeps the last good figures and says why at the top of the menu.
func TestReadErrorKeepsLastCounts(t *testing.T) {
	c, sent, _ := newTestCompanion(t, English)
	c.Reader = &scripted{snaps: []Snapshot{{Breached: 5}, {}}, errs: []error{nil, errors.New("open /x/cockpit.db read-only: no such file")}}
	c.Poll(context.Background())
	*sent = nil
	c.Poll(context.Background())
	items := c.Menu().Items
	if !strings.HasPrefix(items[0].Label, "Cannot read the workspace: open /x/cockpit.db") || items[1].Label != "Clocks breached: 5" {
		t.Errorf("menu after a failed read: %q, %q", items[0].Label, items[1].Label)
	}
	if len(*sent) != 0 {
		t.Errorf("a failed read notified: %+v", *sent)
	}
}

func TestTrayIconFollowsMood(t *testing.T) {
	c, _, _ := newTestCompanion(t, English)
	var icons []string
	c.TrayIcon = func(r fyne.Resource) { icons = append(icons, r.Name()) }
	for _, s := range []Snapshot{{}, {DueSoon: 1}, {DueSoon: 2}, {Breached: 1}, {}} {
		c.Apply(s, nil)
	}
	if got := strings.Join(icons, ","); got != "cockpit-warning.png,cockpit-alarm.png,cockpit-calm.png" {
		t.Errorf("icons %s", got)
	}
}

// Without a tray host the companion says so in a window that carries the menu's content.
func TestNoTrayHostWindow(t *testing.T) {
	c, _, opened := newTestCompanion(t, Chinese)
	c.NoTrayHost()
	c.Apply(Snapshot{At: t0, Breached: 2, DueSoon: 1, OpenIncidents: 1, Red: []Item{{Key: "incident:1", Title: "批号 BY2605A17"}, red(3, "面霜过敏")}}, nil)
	w := c.Window()
	if w == nil {
		t.Fatal("no window without a tray host")
	}
	test.AssertRendersToMarkup(t, "no_tray_window.xml", w.Canvas())
	test.Tap(findButton(t, c, "#3 面霜过敏"))
	if len(*opened) != 1 || (*opened)[0] != 3 {
		t.Errorf("tapping the alert opened %v", *opened)
	}
}

func findButton(t *testing.T, c *Companion, label string) *widget.Button {
	t.Helper()
	for _, o := range c.body.Objects {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			return b
		}
	}
	t.Fatalf("no button %q in the status window", label)
	return nil
}

// StoreReader against a real SQLite data dir, opened read-only beside a writer.
func TestStoreReader(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := &StoreReader{Dir: dir, User: "alice", Soon: time.Hour}
	if _, err := r.Read(ctx, t0); err == nil {
		t.Fatal("reading a data dir without a database succeeded")
	}
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	alice, err := people.New(st, &clocks.Fixed{T: t0}).Setup(ctx, people.NewUser{Username: "alice", Password: "long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	newCase := func(title string) int64 {
		var id int64
		err := st.IngestTx(ctx, func(tx *store.IngestTx) error {
			var err error
			id, err = tx.CreateCase(ctx, store.NewCase{Title: title, OpenedAt: t0.Add(-time.Hour), Now: t0})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	mine, other := newCase("奶粉结块"), newCase("物流延误")
	if _, err := st.MoveCase(ctx, store.CaseMove{CaseID: mine, Level: 1, OwnerID: alice.ID, Reason: "test", Actor: "alice", At: t0}, nil); err != nil {
		t.Fatal(err)
	}
	row := func(id int64, clock string, due time.Duration) store.ClockRow {
		return store.ClockRow{CaseID: id, ClockID: clock, StartedAt: t0.Add(-time.Hour), DueAt: t0.Add(due), State: "running", ComputedAt: t0}
	}
	if err := st.Tx(ctx, func(tx *sql.Tx) error {
		if err := store.ReplaceCaseClocksTx(ctx, tx, mine, []store.ClockRow{row(mine, "first_contact", -10*time.Minute), row(mine, "solution", 20*time.Minute)}); err != nil {
			return err
		}
		if err := store.ReplaceCaseClocksTx(ctx, tx, other, []store.ClockRow{row(other, "first_contact", 40*time.Minute), row(other, "solution", 9*time.Hour)}); err != nil {
			return err
		}
		_, err := store.CreateIncidentTx(ctx, tx, store.Incident{Key: "batch:BY2605A17", Title: "批号 BY2605A17", Level: 1, Status: "open", OpenedAt: t0})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s, err := r.Read(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if s.Breached != 1 || s.DueSoon != 2 || s.OpenIncidents != 1 {
		t.Errorf("counts %d breached, %d soon, %d incidents; want 1, 2, 1", s.Breached, s.DueSoon, s.OpenIncidents)
	}
	if len(s.Red) != 2 || s.Red[0].Key != "incident:1" || s.Red[1].CaseID != mine {
		t.Errorf("red %+v", s.Red)
	}
	if len(s.Mine) != 2 || s.Mine[0].Key != "clock:1:solution:soon" || !s.Mine[1].Breached {
		t.Errorf("mine %+v", s.Mine)
	}
}
