// Package review computes the daily review (每日复盘) of seed manual 000 §5: contacts by type, sub-type
// and hour, the level mix, SLA outcomes, the most complained-about products and batches, and trend
// alerts (one sub-type at half of a day's contacts -> update the auto-reply and prepare one
// compensation plan; many customers on one batch -> a group incident), over a date range, with a CSV
// export of every figure.
package review

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"cockpit/backend/clocks"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

// Range is a span of local calendar days, both inclusive, as "2006-01-02".
type Range struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// MaxDays bounds a review range (a quarter), so one click cannot scan years of mail.
const MaxDays = 92

// ErrInvalid marks a range the user must fix.
var ErrInvalid = errors.New("invalid request")

// bounds returns the UTC instants [from, to) of r in loc and the number of days.
func (r Range) bounds(loc *time.Location) (time.Time, time.Time, int, error) {
	from, err := time.ParseInLocation("2006-01-02", r.From, loc)
	if err != nil {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("%w: start date %q is not YYYY-MM-DD", ErrInvalid, r.From)
	}
	to, err := time.ParseInLocation("2006-01-02", r.To, loc)
	if err != nil {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("%w: end date %q is not YYYY-MM-DD", ErrInvalid, r.To)
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("%w: the range ends (%s) before it starts (%s)", ErrInvalid, r.To, r.From)
	}
	end := to.AddDate(0, 0, 1) // AddDate keeps local midnight across DST changes
	days := 0
	for d := from; d.Before(end); d = d.AddDate(0, 0, 1) {
		days++
	}
	if days > MaxDays {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("%w: at most %d days at a time", ErrInvalid, MaxDays)
	}
	return from.UTC(), end.UTC(), days, nil
}

// Count is one bar of a chart. Share is of all contacts in the range (0..1); Previous is the same
// key's count over the equally long period just before the range.
type Count struct {
	Type     string  `json:"type"`
	Subtype  string  `json:"subtype,omitempty"`
	Count    int     `json:"count"`
	Share    float64 `json:"share"`
	Previous int     `json:"previous"`
}

// DayCount is one local day's contacts.
type DayCount struct {
	Date  string `json:"date"`
	Count int    `json:"count"`
}

// Alert is a trend the review wants acted on. Kind: "subtype_share" (a sub-type at or above the
// configured share of a day's contacts), "growth" (a type at least doubled against the previous
// period), "batch" (several customers complaining about one product batch).
type Alert struct {
	Kind     string  `json:"kind"`
	Date     string  `json:"date,omitempty"`
	Type     string  `json:"type,omitempty"`
	Subtype  string  `json:"subtype,omitempty"`
	Product  string  `json:"product,omitempty"`
	Batch    string  `json:"batch,omitempty"`
	Count    int     `json:"count"`
	Previous int     `json:"previous,omitempty"`
	Share    float64 `json:"share,omitempty"`
	Zh       string  `json:"zh"`
	En       string  `json:"en"`
}

// SLA is how the clocks due in the range ended: met before the deadline, breached, or still running.
type SLA struct {
	Clocks   int     `json:"clocks"`
	Met      int     `json:"met"`
	Breached int     `json:"breached"`
	Running  int     `json:"running"`
	MetPct   float64 `json:"metPct"` // met / (met + breached) * 100; 0 when none ended
}

// Report is the daily review of a range.
type Report struct {
	Range       Range                `json:"range"`
	Zone        string               `json:"zone"`
	Contacts    int                  `json:"contacts"`
	ByType      []Count              `json:"byType"`
	BySubtype   []Count              `json:"bySubtype"`
	ByHour      [24]int              `json:"byHour"` // local hour of day
	ByDay       []DayCount           `json:"byDay"`
	CasesOpened int                  `json:"casesOpened"`
	Levels      []store.LevelCount   `json:"levels"`
	SLA         SLA                  `json:"sla"`
	TopProducts []store.ProductCount `json:"topProducts"` // by product, batches summed (Batch empty)
	TopBatches  []store.ProductCount `json:"topBatches"`  // by product and batch
	Alerts      []Alert              `json:"alerts"`
}

// Service computes reviews.
type Service struct {
	Store *store.Store
	Zone  *time.Location
	// Trends and BatchCustomers come from the rule set (thresholds.json: trends, incidents.min_customers).
	Trends         rules.Trends
	BatchCustomers int
	Clock          clocks.Clock // "now" for clocks still running past their due time
}

// TopN is how many products and batches the review lists.
const TopN = 10

// growthFactor: a type whose contacts at least doubled against the previous period is a trend.
const growthFactor = 2

// Review computes the report for r.
func (s *Service) Review(ctx context.Context, r Range) (Report, error) {
	from, to, days, err := r.bounds(s.Zone)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Range: r, Zone: s.Zone.String(), ByType: []Count{}, BySubtype: []Count{}, ByDay: []DayCount{}, Alerts: []Alert{}}
	cur, err := s.Store.ReviewContacts(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	prevFrom := from.Add(-to.Sub(from))
	prev, err := s.Store.ReviewContacts(ctx, prevFrom, from)
	if err != nil {
		return Report{}, err
	}
	s.contacts(&rep, cur, prev, from, days)
	if rep.Levels, err = s.Store.ReviewLevels(ctx, from, to); err != nil {
		return Report{}, err
	}
	for _, l := range rep.Levels {
		rep.CasesOpened += l.Count
	}
	batches, err := s.Store.ReviewProducts(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	rep.TopBatches, rep.TopProducts = topBatches(batches), topProducts(batches)
	for _, b := range batches {
		if b.Batch != "" && s.BatchCustomers > 0 && b.Cases >= s.BatchCustomers {
			rep.Alerts = append(rep.Alerts, Alert{Kind: "batch", Product: b.Product, Batch: b.Batch, Count: b.Cases,
				Zh: fmt.Sprintf("%s 批次 %s 有 %d 位顾客投诉：按群体事件处理（主管接管、下架、批次核查、召回）", b.Product, b.Batch, b.Cases),
				En: fmt.Sprintf("%d customers complained about %s batch %s: handle as a group incident (supervisor takes over, delist, batch check, recall)", b.Cases, b.Product, b.Batch)})
		}
	}
	sort.SliceStable(rep.Alerts, func(i, j int) bool {
		a, b := rep.Alerts[i], rep.Alerts[j]
		return a.Kind+a.Date+a.Type+a.Subtype+a.Product+a.Batch < b.Kind+b.Date+b.Type+b.Subtype+b.Product+b.Batch
	})
	sla := &rep.SLA
	if sla.Met, sla.Breached, sla.Running, err = s.Store.ClockOutcomes(ctx, from, to, s.Clock.Now()); err != nil {
		return Report{}, err
	}
	sla.Clocks = sla.Met + sla.Breached + sla.Running
	if ended := sla.Met + sla.Breached; ended > 0 {
		sla.MetPct = float64(sla.Met) * 100 / float64(ended)
	}
	return rep, nil
}

type typeKey struct{ t, st string }

// contacts fills the contact figures and the share and growth alerts.
func (s *Service) contacts(rep *Report, cur, prev []store.ContactBucket, from time.Time, days int) {
	byType, bySub := map[string]int{}, map[typeKey]int{}
	prevType, prevSub := map[string]int{}, map[typeKey]int{}
	dayIndex := map[string]int{}
	for d := from.In(s.Zone); len(rep.ByDay) < days; d = d.AddDate(0, 0, 1) {
		dayIndex[d.Format("2006-01-02")] = len(rep.ByDay)
		rep.ByDay = append(rep.ByDay, DayCount{Date: d.Format("2006-01-02")})
	}
	daySub := map[string]map[typeKey]int{}
	for _, b := range cur {
		rep.Contacts += b.Count
		byType[b.Type] += b.Count
		k := typeKey{b.Type, b.Subtype}
		bySub[k] += b.Count
		local := b.Hour.In(s.Zone)
		rep.ByHour[local.Hour()] += b.Count
		day := local.Format("2006-01-02")
		if i, ok := dayIndex[day]; ok {
			rep.ByDay[i].Count += b.Count
		}
		if daySub[day] == nil {
			daySub[day] = map[typeKey]int{}
		}
		daySub[day][k] += b.Count
	}
	for _, b := range prev {
		prevType[b.Type] += b.Count
		prevSub[typeKey{b.Type, b.Subtype}] += b.Count
	}
	share := func(n, of int) float64 {
		if of == 0 {
			return 0
		}
		return float64(n) / float64(of)
	}
	for t, n := range byType {
		rep.ByType = append(rep.ByType, Count{Type: t, Count: n, Share: share(n, rep.Contacts), Previous: prevType[t]})
		if n >= s.Trends.MinContacts && n >= growthFactor*prevType[t] && prevType[t] > 0 {
			rep.Alerts = append(rep.Alerts, Alert{Kind: "growth", Type: t, Count: n, Previous: prevType[t],
				Zh: fmt.Sprintf("%s 类投诉 %d 件，是上一周期（%d 件）的 %.1f 倍", t, n, prevType[t], float64(n)/float64(prevType[t])),
				En: fmt.Sprintf("%s contacts: %d, %.1f× the previous period (%d)", t, n, float64(n)/float64(prevType[t]), prevType[t])})
		}
	}
	for k, n := range bySub {
		rep.BySubtype = append(rep.BySubtype, Count{Type: k.t, Subtype: k.st, Count: n, Share: share(n, rep.Contacts), Previous: prevSub[k]})
	}
	sortCounts(rep.ByType)
	sortCounts(rep.BySubtype)
	for _, d := range rep.ByDay {
		total := d.Count
		var subs []typeKey
		for k := range daySub[d.Date] {
			subs = append(subs, k)
		}
		sort.Slice(subs, func(i, j int) bool { return subs[i].t+"/"+subs[i].st < subs[j].t+"/"+subs[j].st })
		for _, k := range subs {
			n := daySub[d.Date][k]
			if total < s.Trends.MinContacts || k.st == "" || share(n, total) < s.Trends.Share {
				continue
			}
			resp, ok := s.Trends.Response[k.st]
			if !ok {
				resp = s.Trends.Response["default"]
			}
			rep.Alerts = append(rep.Alerts, Alert{Kind: "subtype_share", Date: d.Date, Type: k.t, Subtype: k.st, Count: n, Share: share(n, total),
				Zh: fmt.Sprintf("%s：%s 占当日咨询 %.0f%%（%d/%d）。%s", d.Date, k.st, 100*share(n, total), n, total, resp.ZH),
				En: fmt.Sprintf("%s: %s is %.0f%% of the day's contacts (%d/%d). %s", d.Date, k.st, 100*share(n, total), n, total, resp.EN)})
		}
	}
}

func sortCounts(cs []Count) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Count != cs[j].Count {
			return cs[i].Count > cs[j].Count
		}
		return cs[i].Type+"/"+cs[i].Subtype < cs[j].Type+"/"+cs[j].Subtype
	})
}

func topBatches(all []store.ProductCount) []store.ProductCount {
	out := []store.ProductCount{}
	for _, b := range all {
		if b.Batch != "" && len(out) < TopN {
			out = append(out, b)
		}
	}
	return out
}

func topProducts(all []store.ProductCount) []store.ProductCount {
	sum := map[string]int{}
	for _, b := range all {
		if b.Product != "" {
			sum[b.Product] += b.Cases
		}
	}
	out := []store.ProductCount{}
	for p, n := range sum {
		out = append(out, store.ProductCount{Product: p, Cases: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Cases != out[j].Cases {
			return out[i].Cases > out[j].Cases
		}
		return out[i].Product < out[j].Product
	})
	if len(out) > TopN {
		out = out[:TopN]
	}
	return out
}
