// Package incidents finds group incidents (many distinct customers complaining about the same batch,
// SKU or product within a window, like the seed's ten customers with one milk-powder batch) and trend
// alerts (one sub-type taking a large share of a day's contacts, like the seed's 50% logistics delays).
package incidents

import (
	"sort"
	"strings"
	"time"
	"unicode"

	"cockpit/backend/calendar"
)

// Report is one case as incident detection sees it.
type Report struct {
	CaseID   int64
	Customer string   // customer id or address; distinct customers are counted, not messages
	Keys     []string // "batch:AB2026031", "sku:100012", "product:婴儿配方奶粉"
	At       time.Time
}

// Group is a detected incident: the cases about Key from the start of the first window that reached
// the threshold onwards (later cases join the open incident).
type Group struct {
	Key         string    `json:"key"`
	CaseIDs     []int64   `json:"case_ids"`
	Customers   int       `json:"customers"`
	WindowStart time.Time `json:"window_start"`
	TriggeredAt time.Time `json:"triggered_at"`
}

// Key builds an incident key; product names are normalised (case, spaces, punctuation) so that
// "Infant Formula 900g" and "infant formula 900 g" meet.
func Key(kind, value string) string {
	value = strings.TrimSpace(value)
	if value == "" {
		return ""
	}
	if kind == "product" {
		value = strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || unicode.IsPunct(r) {
				return -1
			}
			return unicode.ToLower(r)
		}, value)
	} else {
		value = strings.ToUpper(value)
	}
	if value == "" {
		return ""
	}
	return kind + ":" + value
}

// Detect groups reports into incidents: for each key, the first moment at least minCustomers distinct
// customers reported within window. keyOrder ranks key kinds (batch before sku before product): a case
// joins at most one incident, the one of its highest-ranked key.
func Detect(reports []Report, minCustomers int, window time.Duration, keyOrder []string) []Group {
	byKey := map[string][]Report{}
	for _, r := range reports {
		for _, k := range r.Keys {
			byKey[k] = append(byKey[k], r)
		}
	}
	rank := func(k string) int {
		kind, _, _ := strings.Cut(k, ":")
		for i, o := range keyOrder {
			if o == kind {
				return i
			}
		}
		return len(keyOrder)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	taken := map[int64]bool{}
	var out []Group
	for _, k := range keys {
		rs := byKey[k]
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].At.Before(rs[j].At) })
		g, ok := trigger(rs, minCustomers, window)
		if !ok {
			continue
		}
		g.Key = k
		customers := map[string]bool{}
		for _, r := range rs {
			if r.At.Before(g.WindowStart) || taken[r.CaseID] {
				continue
			}
			g.CaseIDs = append(g.CaseIDs, r.CaseID)
			customers[r.Customer] = true
		}
		if len(customers) < minCustomers {
			continue // its cases already belong to a higher-ranked incident
		}
		for _, id := range g.CaseIDs {
			taken[id] = true
		}
		g.Customers = len(customers)
		out = append(out, g)
	}
	return out
}

// trigger slides a window over time-sorted reports and finds the first one holding minCustomers
// distinct customers.
func trigger(rs []Report, minCustomers int, window time.Duration) (Group, bool) {
	count := map[string]int{}
	left := 0
	for right, r := range rs {
		count[r.Customer]++
		for r.At.Sub(rs[left].At) > window {
			if count[rs[left].Customer]--; count[rs[left].Customer] == 0 {
				delete(count, rs[left].Customer)
			}
			left++
		}
		if len(count) >= minCustomers {
			return Group{WindowStart: rs[left].At, TriggeredAt: rs[right].At}, true
		}
	}
	return Group{}, false
}

// Contact is one case opened, for trend alerts.
type Contact struct {
	Subtype string
	At      time.Time
}

// Trend is one sub-type's share of a local day's contacts.
type Trend struct {
	Day     calendar.Date `json:"day"`
	Subtype string        `json:"subtype"`
	Count   int           `json:"count"`
	Total   int           `json:"total"`
	Percent int           `json:"percent"`
}

// Trends returns, per local day with at least minContacts contacts, every sub-type at or above share.
func Trends(contacts []Contact, loc *time.Location, share float64, minContacts int) []Trend {
	type day struct {
		total int
		by    map[string]int
	}
	days := map[calendar.Date]*day{}
	for _, c := range contacts {
		d := calendar.DateOf(c.At, loc)
		if days[d] == nil {
			days[d] = &day{by: map[string]int{}}
		}
		days[d].total++
		if c.Subtype != "" {
			days[d].by[c.Subtype]++
		}
	}
	var out []Trend
	for d, v := range days {
		if v.total < minContacts {
			continue
		}
		for sub, n := range v.by {
			// Integer comparison: n/total >= share without float rounding at the boundary.
			if float64(n) >= share*float64(v.total)-1e-9 {
				out = append(out, Trend{Day: d, Subtype: sub, Count: n, Total: v.total, Percent: n * 100 / v.total})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day.Before(out[j].Day)
		}
		return out[i].Subtype < out[j].Subtype
	})
	return out
}
