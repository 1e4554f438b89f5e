package incidents_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"cockpit/backend/incidents"
)

var t0 = time.Date(2026, 3, 15, 1, 0, 0, 0, time.UTC)

func rep(id int64, customer string, hours float64, keys ...string) incidents.Report {
	return incidents.Report{CaseID: id, Customer: customer, Keys: keys, At: t0.Add(time.Duration(hours * float64(time.Hour)))}
}

var order = []string{"batch", "sku", "product"}

func TestOneAngryCustomerIsNotAnIncident(t *testing.T) {
	var rs []incidents.Report
	for i := range 10 {
		rs = append(rs, rep(int64(i+1), "cust-1", float64(i)/2, "batch:AB2026031"))
	}
	if g := incidents.Detect(rs, 3, 24*time.Hour, order); len(g) != 0 {
		t.Fatalf("ten messages from one customer became %d incidents", len(g))
	}
	// Two customers are still not three.
	rs = append(rs, rep(11, "cust-2", 3, "batch:AB2026031"))
	if g := incidents.Detect(rs, 3, 24*time.Hour, order); len(g) != 0 {
		t.Fatalf("two customers became an incident")
	}
}

func TestMilkPowderBatch(t *testing.T) {
	// Seed 000: ten customers, one batch, within hours; plus noise.
	var rs []incidents.Report
	for i := range 10 {
		rs = append(rs, rep(int64(i+1), fmt.Sprintf("cust-%d", i), float64(i), "batch:AB2026031", "product:婴儿配方奶粉"))
	}
	rs = append(rs, rep(50, "cust-x", 2, "batch:ZZ1"), rep(51, "cust-y", 2, "product:婴儿配方奶粉"))
	gs := incidents.Detect(rs, 3, 24*time.Hour, order)
	if len(gs) != 1 {
		t.Fatalf("got %d incidents: %+v", len(gs), gs)
	}
	g := gs[0]
	if g.Key != "batch:AB2026031" || len(g.CaseIDs) != 10 || g.Customers != 10 {
		t.Errorf("got %+v", g)
	}
	if !g.TriggeredAt.Equal(t0.Add(2*time.Hour)) || !g.WindowStart.Equal(t0) {
		t.Errorf("triggered %s window %s", g.TriggeredAt, g.WindowStart)
	}
}

func TestWindow(t *testing.T) {
	tests := []struct {
		name  string
		hours []float64
		want  int
	}{
		{"three within 24 h", []float64{0, 10, 23}, 1},
		{"spread over three days", []float64{0, 25, 50}, 0},
		{"the later three make it", []float64{0, 30, 40, 50}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var rs []incidents.Report
			for i, h := range tc.hours {
				rs = append(rs, rep(int64(i+1), fmt.Sprint("c", i), h, "sku:100"))
			}
			gs := incidents.Detect(rs, 3, 24*time.Hour, order)
			if len(gs) != tc.want {
				t.Fatalf("got %d incidents", len(gs))
			}
			if tc.name == "the later three make it" && !slices.Equal(gs[0].CaseIDs, []int64{2, 3, 4}) {
				t.Errorf("cases %v: the first report is outside the window", gs[0].CaseIDs)
			}
		})
	}
}

func TestKeyNormalisation(t *testing.T) {
	if a, b := incidents.Key("product", "Infant Formula 900g"), incidents.Key("product", " infant-formula 900G"); a != b {
		t.Errorf("%q != %q", a, b)
	}
	if incidents.Key("batch", " ") != "" || incidents.Key("batch", "ab1") != "batch:AB1" {
		t.Error("batch keys")
	}
}

func TestTrends(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	var cs []incidents.Contact
	for i := range 10 {
		sub := "stalled_logistics"
		if i >= 5 {
			sub = []string{"quality", "invoice", "attitude", "quality", "promotion_rules"}[i-5]
		}
		cs = append(cs, incidents.Contact{Subtype: sub, At: t0.Add(time.Duration(i) * time.Hour)})
	}
	got := incidents.Trends(cs, loc, 0.5, 10)
	if len(got) != 1 || got[0].Subtype != "stalled_logistics" || got[0].Percent != 50 || got[0].Day.String() != "2026-03-15" {
		t.Fatalf("got %+v", got)
	}
	if got := incidents.Trends(cs[:9], loc, 0.5, 10); len(got) != 0 {
		t.Errorf("below the minimum contacts: %+v", got)
	}
}
