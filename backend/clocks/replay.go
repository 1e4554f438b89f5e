package clocks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"cockpit/backend/calendar"
)

// States of a clock, as cards and exports show them.
const (
	StateRunning   = "running"
	StatePaused    = "paused"
	StateWarning50 = "warning50"
	StateWarning80 = "warning80"
	StateBreached  = "breached"
	StateMet       = "met"
	StateUnknown   = "unknown"
)

// Spec is everything a replay needs: it is rebuilt from the rule and the case's event log each time,
// so a clock's position is never stored state that can drift.
type Spec struct {
	ID      string
	Trigger time.Time     // the event that started the clock (receipt, dispute ticket...)
	From    time.Time     // counting starts here (the trigger, or 00:00 of the next day for day periods)
	Target  time.Duration // counted time until due
	Meter   Meter
	Pauses  []Interval // a zero To means still paused
	Stop    time.Time  // when the clock was satisfied; zero if not yet
	// Extend moves a day-period end that falls on a rest day (WD-04); nil for none.
	Extend func(due time.Time) (time.Time, error)
	Loc    *time.Location
}

// Status is where a clock stands and why.
type Status struct {
	ID        string    `json:"id"`
	StartedAt time.Time `json:"started_at"`
	DueAt     time.Time `json:"due_at,omitzero"` // zero (left out) when unknown
	StoppedAt time.Time `json:"stopped_at,omitzero"`
	State     string    `json:"state"`
	Percent   int       `json:"percent"`
	// Breakdown of the time from the trigger to now (or the stop): counted, paused, outside the
	// clock's hours; rest days skipped.
	Counted  time.Duration `json:"counted_ns"`
	Paused   time.Duration `json:"paused_ns"`
	Outside  time.Duration `json:"outside_ns"`
	Holidays int           `json:"holidays"`
	Weekends int           `json:"weekends"`
	Why      string        `json:"why"`
}

// maxWindows bounds a replay walk (one window per day for the calendar meters).
const maxWindows = 5000

// Replay computes the clock's due time and state at now.
func Replay(s Spec, now time.Time) Status {
	st := Status{ID: s.ID, StartedAt: s.Trigger.UTC(), StoppedAt: s.Stop}
	if s.Loc == nil {
		s.Loc = time.UTC
	}
	end := now
	if !s.Stop.IsZero() && s.Stop.Before(now) {
		end = s.Stop
	}
	pauses := normalise(s.Pauses, now)
	due, err := dueAt(s, pauses)
	if err == nil && s.Extend != nil {
		due, err = s.Extend(due)
	}
	if err != nil {
		st.State, st.Why = StateUnknown, err.Error()
		return st
	}
	st.DueAt = due
	counted, err := measure(s.Meter, pauses, s.From, end)
	if err != nil {
		st.State, st.Why = StateUnknown, err.Error()
		return st
	}
	total, err := measure(s.Meter, pauses, s.From, due)
	if err != nil || total <= 0 {
		total = s.Target
	}
	st.Counted = counted
	st.Percent = int(int64(counted) * 100 / int64(total))
	if end.After(s.Trigger) {
		st.Paused = overlap(pauses, s.Trigger, end)
		st.Outside = end.Sub(s.Trigger) - counted - st.Paused
		if st.Outside < 0 {
			st.Outside = 0
		}
		if cal := s.Meter.Calendar(); cal != nil {
			st.Holidays, st.Weekends = restDays(cal, s.Loc, s.Trigger, end)
		}
	}
	pausedNow := false
	for _, p := range s.Pauses {
		if !p.From.After(now) && (p.To.IsZero() || p.To.After(now)) {
			pausedNow = true
		}
	}
	switch {
	case !s.Stop.IsZero() && !s.Stop.After(now):
		if s.Stop.After(due) {
			st.State = StateBreached
		} else {
			st.State = StateMet
		}
	case !now.Before(due):
		st.State = StateBreached
	case pausedNow:
		st.State = StatePaused
	case st.Percent >= 80:
		st.State = StateWarning80
	case st.Percent >= 50:
		st.State = StateWarning50
	default:
		st.State = StateRunning
	}
	st.Why = explain(st, s.Target, s.Loc, end)
	// Instants leave in UTC whatever zone the rule computed them in; views show local time.
	st.DueAt = st.DueAt.UTC()
	if !st.StoppedAt.IsZero() {
		st.StoppedAt = st.StoppedAt.UTC()
	}
	return st
}

// normalise sorts and merges pauses; an open pause ends now, so the due time reads "if resumed now".
func normalise(in []Interval, now time.Time) []Interval {
	var ps []Interval
	for _, p := range in {
		if p.To.IsZero() || p.To.After(now) {
			p.To = now
		}
		if p.To.After(p.From) {
			ps = append(ps, p)
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].From.Before(ps[j].From) })
	var out []Interval
	for _, p := range ps {
		if n := len(out); n > 0 && !p.From.After(out[n-1].To) {
			if p.To.After(out[n-1].To) {
				out[n-1].To = p.To
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// active returns the parts of w not covered by pauses.
func active(w Interval, pauses []Interval) []Interval {
	out := []Interval{w}
	for _, p := range pauses {
		var next []Interval
		for _, a := range out {
			if !p.From.Before(a.To) || !p.To.After(a.From) {
				next = append(next, a)
				continue
			}
			if p.From.After(a.From) {
				next = append(next, Interval{a.From, p.From})
			}
			if p.To.Before(a.To) {
				next = append(next, Interval{p.To, a.To})
			}
		}
		out = next
	}
	return out
}

func dueAt(s Spec, pauses []Interval) (time.Time, error) {
	remaining := s.Target
	cursor := s.From
	for i := 0; i < maxWindows; i++ {
		w, err := s.Meter.Next(cursor)
		if err != nil {
			return time.Time{}, err
		}
		for _, a := range active(w, pauses) {
			if d := a.To.Sub(a.From); d >= remaining {
				return a.From.Add(remaining), nil
			} else {
				remaining -= d
			}
		}
		cursor = w.To
	}
	return time.Time{}, fmt.Errorf("clock %s: no due time within %d windows", s.ID, maxWindows)
}

// measure is the counted time in [from, to).
func measure(m Meter, pauses []Interval, from, to time.Time) (time.Duration, error) {
	var sum time.Duration
	cursor := from
	for i := 0; i < maxWindows && cursor.Before(to); i++ {
		w, err := m.Next(cursor)
		if err != nil {
			return 0, err
		}
		if !w.From.Before(to) {
			break
		}
		if w.To.After(to) {
			w.To = to
		}
		for _, a := range active(w, pauses) {
			sum += a.To.Sub(a.From)
		}
		cursor = w.To
	}
	return sum, nil
}

func overlap(ps []Interval, from, to time.Time) time.Duration {
	var sum time.Duration
	for _, p := range ps {
		a, b := p.From, p.To
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		if b.After(a) {
			sum += b.Sub(a)
		}
	}
	return sum
}

// restDays counts the holidays and plain weekend days after the trigger's day up to end.
func restDays(cal *calendar.Calendar, loc *time.Location, from, to time.Time) (holidays, weekends int) {
	last := calendar.DateOf(to, loc)
	for d := calendar.DateOf(from, loc); !d.After(last); d = d.AddDays(1) {
		day, err := cal.Day(d)
		if err != nil {
			return
		}
		switch day.Kind {
		case calendar.Holiday:
			holidays++
		case calendar.Weekend:
			weekends++
		}
	}
	return
}

// Human renders a duration as "2 d 3 h", "3 h 12 m" or "45 m".
func Human(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && h > 0:
		return fmt.Sprintf("%d d %d h", days, h)
	case days > 0:
		return fmt.Sprintf("%d d", days)
	case h > 0 && m > 0:
		return fmt.Sprintf("%d h %d m", h, m)
	case h > 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d m", m)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// explain writes the supervisor-facing sentence, e.g.
// "running 3 h 12 m of 24 h: 2 h paused, 14 h outside hours, 1 holiday; due 2026-10-13 24:00".
func explain(st Status, target time.Duration, loc *time.Location, end time.Time) string {
	var head string
	switch st.State {
	case StateMet:
		head = "met after " + Human(st.Counted)
	case StateBreached:
		if !st.StoppedAt.IsZero() {
			head = "breached: satisfied " + Human(st.StoppedAt.Sub(st.DueAt)) + " late"
		} else {
			head = "breached " + Human(end.Sub(st.DueAt)) + " ago" // wall time: how long it has been overdue
		}
	default:
		head = fmt.Sprintf("%s %s of %s (%d%%)", st.State, Human(st.Counted), Human(target), st.Percent)
	}
	var parts []string
	if st.Paused > 0 {
		parts = append(parts, Human(st.Paused)+" paused")
	}
	if st.Outside >= time.Minute {
		parts = append(parts, Human(st.Outside)+" outside hours")
	}
	if st.Holidays > 0 {
		parts = append(parts, plural(st.Holidays, "holiday"))
	}
	if st.Weekends > 0 {
		parts = append(parts, plural(st.Weekends, "weekend day"))
	}
	s := head
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s + "; due " + FormatDue(st.DueAt, loc)
}

// FormatDue shows a due time in local time; midnight reads as 24:00 of the day before, the way
// statutory deadlines are written.
func FormatDue(t time.Time, loc *time.Location) string {
	l := t.In(loc)
	if l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 {
		return l.Add(-time.Minute).Format("2006-01-02") + " 24:00"
	}
	return l.Format("2006-01-02 15:04")
}
