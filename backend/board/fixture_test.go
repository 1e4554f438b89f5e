package board

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

// t0 is the fixture's "now": 2026-06-20 10:00 Beijing time.
var t0 = time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)

// fixture opens a real SQLite store in a temp dir with two supervisors and a small board.
type fixture struct {
	st         *store.Store
	svc        *Service
	clock      *clocks.Fixed
	alice, bob int64
	bobShift   int64
	ids        map[string]int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, clock: &clocks.Fixed{T: t0}, ids: map[string]int64{}}
	f.svc = &Service{Store: st, Clock: f.clock}
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		a, err := store.CreatePersonTx(ctx, tx, store.Person{Username: "alice", DisplayName: "Alice", Role: "supervisor", Active: true, CreatedAt: t0})
		if err != nil {
			return err
		}
		b, err := store.CreatePersonTx(ctx, tx, store.Person{Username: "bob", DisplayName: "Bob", Role: "supervisor", Active: true, CreatedAt: t0})
		f.alice, f.bob = a.ID, b.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	h := func(n int) time.Time { return t0.Add(-time.Duration(n) * time.Hour) }
	mail := func(at time.Time, summary, body string) store.SyntheticEvent {
		return store.SyntheticEvent{Kind: "email", Channel: "email", At: at, Summary: summary, Body: body}
	}
	list := []struct {
		key string
		c   store.SyntheticCase
	}{
		{"milk", store.SyntheticCase{Title: "奶粉结块，怀疑批次问题", Type: "product", Subtype: "quality", Level: 1, OwnerID: f.alice,
			CustomerName: "王小明", CustomerEmail: "wang@example.cn", OrderNo: "JD100001", Product: "婴儿奶粉 900g", Batch: "AB2026",
			OpenedAt: h(30), Flags: []string{"safety", "group"},
			Events: []store.SyntheticEvent{mail(h(30), "奶粉结块", "打开罐子发现奶粉结块，宝宝喝了拉肚子。"), mail(h(2), "再次催促", "已经两天了还没有回复")}}},
		{"allergy", store.SyntheticCase{Title: "护肤品使用后过敏", Type: "product", Subtype: "allergy", Level: 2, OwnerID: f.bob,
			CustomerName: "李娜", CustomerEmail: "li@example.cn", OrderNo: "TB200002", Product: "保湿面霜", Batch: "SK77",
			OpenedAt: h(20), Flags: []string{"medical"},
			Events: []store.SyntheticEvent{mail(h(20), "过敏", "用了面霜脸上起红疹，我要曝光你们")}}},
		{"late", store.SyntheticCase{Title: "Parcel late during 618", Type: "logistics", Subtype: "delay", Level: 3,
			CustomerName: "Alice Smith", CustomerEmail: "alice@example.com", OrderNo: "JD100003", Product: "Blender", OpenedAt: h(10),
			Events: []store.SyntheticEvent{mail(h(10), "Where is my parcel", "The tracking has not moved for five days.")}}},
		{"regulator", store.SyntheticCase{Title: "12315 工单 转办", Type: "service", Subtype: "regulator", Level: 1, IsRegulator: true,
			CustomerName: "赵六", OrderNo: "JD100004", OpenedAt: h(5), Flags: []string{"regulator"},
			Events: []store.SyntheticEvent{{Kind: "letter", Channel: "regulator", At: h(5), Summary: "市场监管局转办", Body: "消费者投诉奶粉质量问题，请于7个工作日内回复。"}}}},
		{"closed", store.SyntheticCase{Title: "赠品缺失", Type: "service", Subtype: "gift", Level: 3, Status: cases.StatusClosed, OwnerID: f.alice,
			CustomerName: "钱七", OrderNo: "TB200005", OpenedAt: h(48),
			Events: []store.SyntheticEvent{mail(h(48), "赠品没收到", "满赠活动的赠品没有收到")}}},
		{"new", store.SyntheticCase{Title: "价保 price protection", Type: "unknown", Level: 0,
			CustomerName: "孙八", OrderNo: "JD100006", OpenedAt: h(1),
			Events: []store.SyntheticEvent{mail(h(1), "价保", "买了三天就降价100元，申请价保")}}},
	}
	batch := make([]store.SyntheticCase, len(list))
	for i, l := range list {
		batch[i] = l.c
	}
	ids, err := st.InsertSynthetic(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range list {
		f.ids[l.key] = ids[i]
	}
	// Clocks as the engine stores them: breached is read from the state or from a due time gone by.
	clock := func(key, id, state string, due time.Time) store.ClockRow {
		return store.ClockRow{CaseID: f.ids[key], ClockID: id, StartedAt: h(40), DueAt: due, State: state, ComputedAt: h(3)}
	}
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for key, rows := range map[string][]store.ClockRow{
			"milk":      {clock("milk", "l1_contact", "warning80", h(1)), clock("milk", "l1_solution", "running", t0.Add(20*time.Hour))},
			"allergy":   {clock("allergy", "reply", "running", t0.Add(time.Hour))},
			"regulator": {clock("regulator", "statutory", "breached", t0.Add(-time.Hour))},
			"late":      {clock("late", "reply", "paused", h(5))},
			"closed":    {clock("closed", "reply", "met", h(40))},
		} {
			if err := store.ReplaceCaseClocksTx(ctx, tx, f.ids[key], rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.bobShift, err = st.InsertShift(ctx, store.Shift{Name: "白班", StartsAt: h(2), EndsAt: t0.Add(6 * time.Hour), SupervisorID: f.bob}, t0); err != nil {
		t.Fatal(err)
	}
	return f
}
