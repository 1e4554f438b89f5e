package review

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"cockpit/backend/clocks"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err) // the Go distribution ships the zone database; a test machine without it cannot run these tests
	}
	return loc
}()

func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// newService builds the fixture: a 618-style day where stalled logistics is most of the contacts, and
// three customers with the same milk-powder batch the evening before.
func newService(t *testing.T) *Service {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rs, err := rules.Default()
	if err != nil {
		t.Fatal(err)
	}
	one := func(title, typ, sub string, level int, at time.Time, order, product, batch string) store.SyntheticCase {
		return store.SyntheticCase{Title: title, Type: typ, Subtype: sub, Level: level, OpenedAt: at, OrderNo: order, Product: product, Batch: batch,
			CustomerName: "顾客", Events: []store.SyntheticEvent{{Kind: "email", Channel: "email", At: at, Summary: title},
				{Kind: "note", Channel: "internal", At: at.Add(time.Minute), Summary: "内部备注不算咨询"}}}
	}
	var list []store.SyntheticCase
	for i := range 12 {
		list = append(list, one("物流不动", "logistics", "stalled_logistics", 3, local("2026-06-20 09:00").Add(time.Duration(i)*time.Minute), fmt.Sprintf("JD9%03d", i), "", ""))
	}
	for i := range 3 {
		list = append(list, one("奶粉结块", "product", "quality", 1, local("2026-06-19 23:30").Add(time.Duration(i)*time.Minute), fmt.Sprintf("JD8%03d", i), "婴儿奶粉 900g", "AB2026"))
	}
	list = append(list,
		one("=HYPERLINK 赠品", "product", "quality", 2, local("2026-06-19 10:00"), "JD7000", "=cmd|' /C calc'!A0", "X1"),
		one("previous logistics", "logistics", "stalled_logistics", 3, local("2026-06-17 10:00"), "", "", ""),
		one("previous logistics 2", "logistics", "stalled_logistics", 3, local("2026-06-18 10:00"), "", "", ""),
		one("after the range", "service", "attitude", 3, local("2026-06-21 00:00"), "", "", ""),
	)
	ids, err := st.InsertSynthetic(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	// Clocks due in the range: one met, one stored breached, one still "running" past its due time
	// (breached by the time the review looks), one running with time left, one paused; and one due
	// after the range, which the review leaves out.
	clock := func(i int, id, state, due string) store.ClockRow {
		return store.ClockRow{CaseID: ids[i], ClockID: id, StartedAt: local("2026-06-19 09:00"), DueAt: local(due), State: state, ComputedAt: local("2026-06-19 10:00")}
	}
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		for i, rows := range map[int][]store.ClockRow{
			12: {clock(12, "l1_contact", "met", "2026-06-20 00:00"), clock(12, "l1_solution", "running", "2026-06-20 18:00")},
			13: {clock(13, "l1_contact", "breached", "2026-06-20 00:05")},
			14: {clock(14, "l1_contact", "warning80", "2026-06-20 08:00"), clock(14, "l1_solution", "paused", "2026-06-20 09:00")},
			0:  {clock(0, "reply", "running", "2026-06-22 09:00")},
		} {
			if err := store.ReplaceCaseClocksTx(ctx, tx, ids[i], rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Service{Store: st, Zone: shanghai, Trends: rs.Trends, BatchCustomers: rs.Incidents.MinCustomers,
		Clock: &clocks.Fixed{T: local("2026-06-20 12:00")}}
}

func TestReviewFigures(t *testing.T) {
	svc := newService(t)
	rep, err := svc.Review(context.Background(), Range{From: "2026-06-19", To: "2026-06-20"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Contacts != 16 || rep.CasesOpened != 16 {
		t.Errorf("contacts %d, cases opened %d", rep.Contacts, rep.CasesOpened)
	}
	if got := fmt.Sprint(rep.ByType); got != "[{logistics  12 0.75 2} {product  4 0.25 0}]" {
		t.Errorf("by type %s", got)
	}
	if len(rep.BySubtype) != 2 || rep.BySubtype[0].Subtype != "stalled_logistics" || rep.BySubtype[1].Count != 4 {
		t.Errorf("by subtype %+v", rep.BySubtype)
	}
	// Local hours: 09:00 and 23:30 Beijing time, not their UTC hours (01 and 15).
	if rep.ByHour[9] != 12 || rep.ByHour[23] != 3 || rep.ByHour[10] != 1 || rep.ByHour[1] != 0 {
		t.Errorf("by hour %v", rep.ByHour)
	}
	if got := fmt.Sprint(rep.ByDay); got != "[{2026-06-19 4} {2026-06-20 12}]" {
		t.Errorf("by day %s", got)
	}
	if got := fmt.Sprint(rep.Levels); got != "[{1 3} {2 1} {3 12}]" {
		t.Errorf("levels %s", got)
	}
	if len(rep.TopBatches) != 2 || rep.TopBatches[0].Batch != "AB2026" || rep.TopBatches[0].Cases != 3 {
		t.Errorf("top batches %+v", rep.TopBatches)
	}
	if len(rep.TopProducts) != 2 || rep.TopProducts[0].Product != "婴儿奶粉 900g" {
		t.Errorf("top products %+v", rep.TopProducts)
	}
	if got := fmt.Sprintf("%+v", rep.SLA); got != "{Clocks:5 Met:1 Breached:2 Running:2 MetPct:33.333333333333336}" {
		t.Errorf("sla %s", got)
	}
	var kinds []string
	for _, a := range rep.Alerts {
		kinds = append(kinds, a.Kind+":"+a.Type+a.Batch+a.Date)
		if a.Zh == "" || a.En == "" {
			t.Errorf("alert without text %+v", a)
		}
	}
	// Stalled logistics is 100% of 2026-06-20 (12 contacts >= 10); logistics grew from 2 to 12; three
	// customers share batch AB2026. 2026-06-19 has too few contacts for a share alert.
	if got := fmt.Sprint(kinds); got != "[batch:AB2026 growth:logistics subtype_share:logistics2026-06-20]" {
		t.Errorf("alerts %s", got)
	}
	if a := rep.Alerts[2]; !strings.Contains(a.Zh, "15元优惠券") {
		t.Errorf("the stalled-logistics alert should carry the configured response: %s", a.Zh)
	}
}

func TestReviewCSV(t *testing.T) {
	svc := newService(t)
	rep, err := svc.Review(context.Background(), Range{From: "2026-06-19", To: "2026-06-20"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Error("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	find := func(section, key string) []string {
		for _, r := range rows {
			if r[0] == section && r[1] == key {
				return r
			}
		}
		t.Fatalf("no row %s/%s", section, key)
		return nil
	}
	if r := find("type", "logistics"); r[3] != "12" || r[4] != "0.7500" || r[5] != "2" {
		t.Errorf("type row %v", r)
	}
	if r := find("sla", "met_pct"); r[2] != "33.3" || r[3] != "5" {
		t.Errorf("sla row %v", r)
	}
	if r := find("hour", "09"); r[3] != "12" {
		t.Errorf("hour row %v", r)
	}
	if r := find("top_batch", "婴儿奶粉 900g"); r[2] != "AB2026" || r[3] != "3" {
		t.Errorf("batch row %v", r)
	}
	// A product name that is a spreadsheet formula is written as text.
	if r := find("top_product", "'=cmd|' /C calc'!A0"); r[3] != "1" {
		t.Errorf("formula row %v", r)
	}
	if len(rows) < 40 {
		t.Errorf("only %d rows", len(rows))
	}
}

func TestReviewBadRanges(t *testing.T) {
	svc := newService(t)
	for _, r := range []Range{{"2026-06-20", "2026-06-19"}, {"20260619", "2026-06-20"}, {"2026-06-19", ""}, {"2026-01-01", "2026-12-31"}} {
		if _, err := svc.Review(context.Background(), r); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v", r, err)
		}
	}
	// An empty range is a valid, empty report.
	rep, err := svc.Review(context.Background(), Range{From: "2025-01-01", To: "2025-01-01"})
	if err != nil || rep.Contacts != 0 || len(rep.ByDay) != 1 || len(rep.Alerts) != 0 {
		t.Errorf("empty: %+v %v", rep, err)
	}
}
