package clocks

import (
	"encoding/json"
	"slices"
	"time"

	"cockpit/backend/calendar"
	"cockpit/backend/cases"
	"cockpit/backend/rules"
)

// Event kinds the clocks read from a case's timeline.
const (
	KindPause  = "clock_pause"  // data {"clock": "<id>" or "" for every clock, "reason": "..."}
	KindResume = "clock_resume" // data {"clock": "<id>" or ""}
	KindStatus = "status"       // data {"from": "...", "to": "resolved"|"closed"|...}
)

// Facts are what decides which clocks a case carries.
type Facts struct {
	Case     cases.Case
	Level    int
	Platform string
	Flags    []string
	Text     string        // the customer's words, for rules that match text
	Events   []cases.Event // the timeline, oldest first
}

// Result is one clock of a case: its rule and where it stands.
type Result struct {
	Def    rules.ClockDef `json:"def"`
	Status Status         `json:"status"`
}

type eventData struct {
	Clock string `json:"clock"`
	To    string `json:"to"`
}

func data(e cases.Event) eventData {
	var d eventData
	if e.DataJSON != "" {
		_ = json.Unmarshal([]byte(e.DataJSON), &d) // data the clocks cannot read simply carries no clock fields
	}
	return d
}

// applies reports whether the rule's condition holds for the facts.
func applies(cl rules.Clock, f Facts) bool {
	w := cl.When
	if len(w.Levels) > 0 && !slices.Contains(w.Levels, f.Level) {
		return false
	}
	if w.RegulatorChannel && !f.Case.IsRegulator {
		return false
	}
	if w.Platform != "" && w.Platform != f.Platform {
		return false
	}
	if len(w.AnyFlags) > 0 && !slices.ContainsFunc(w.AnyFlags, func(fl string) bool { return slices.Contains(f.Flags, fl) }) {
		return false
	}
	if cl.Text != nil && !cl.Text.MatchString(f.Text) {
		return false
	}
	return true
}

// Evaluate builds and replays every clock of the rule set that applies to the case at now.
func Evaluate(c *rules.Compiled, f Facts, now time.Time) []Result {
	out := []Result{}
	receipt := calendar.DateOf(f.Case.OpenedAt, c.Loc)
	for _, cl := range c.Clocks {
		if !cl.AppliesOn(receipt) || !applies(cl, f) {
			continue
		}
		spec, ok := SpecFor(c, cl, f)
		if !ok {
			continue // its starting event has not happened
		}
		out = append(out, Result{Def: cl.ClockDef, Status: Replay(spec, now)})
	}
	return out
}

// SpecFor turns a rule and the case's timeline into a replay spec; false if the clock has not started.
func SpecFor(c *rules.Compiled, cl rules.Clock, f Facts) (Spec, bool) {
	trigger := f.Case.OpenedAt
	if cl.StartEvent != "" {
		i := slices.IndexFunc(f.Events, func(e cases.Event) bool { return e.Kind == cl.StartEvent })
		if i < 0 {
			return Spec{}, false
		}
		trigger = f.Events[i].OccurredAt
	}
	s := Spec{ID: cl.ID, Trigger: trigger, From: trigger, Loc: c.Loc}
	switch cl.Unit {
	case rules.UnitMinutes:
		s.Meter, s.Target = Continuous{}, time.Duration(cl.Amount)*time.Minute
	case rules.UnitHours:
		s.Meter, s.Target = Continuous{}, time.Duration(cl.Amount)*time.Hour
	case rules.UnitBusinessHours:
		w := cl.BusinessHours
		s.Meter = BusinessHours{Cal: c.Calendar, Loc: c.Loc, From: w.From, To: w.To, AllDays: w.AllDays}
		s.Target = time.Duration(cl.Amount) * time.Hour
	case rules.UnitWorkingDays:
		// WD-02: the trigger day is not counted.
		s.From = calendar.DateOf(trigger, c.Loc).End(c.Loc)
		s.Meter, s.Target = WorkingDays{Cal: c.Calendar, Loc: c.Loc}, time.Duration(cl.Amount)*24*time.Hour
	case rules.UnitDays:
		s.From = calendar.DateOf(trigger, c.Loc).End(c.Loc)
		s.Meter, s.Target = Continuous{}, time.Duration(cl.Amount)*24*time.Hour
		if cl.ExtendPolicy != calendar.ExtendNone {
			s.Extend = extender(c.Calendar, c.Loc, cl.ExtendPolicy)
		}
	}
	s.Pauses = pauses(f.Events, cl.ID, trigger)
	s.Stop = stop(f, cl.StopOn, trigger)
	return s, true
}

// extender moves an end on a rest day to the end of the next working day (WD-04).
func extender(cal *calendar.Calendar, loc *time.Location, p calendar.Extend) func(time.Time) (time.Time, error) {
	return func(due time.Time) (time.Time, error) {
		d := calendar.DateOf(due.Add(-time.Nanosecond), loc)
		moved := false
		for i := 0; i < 60; i++ {
			day, err := cal.Day(d)
			if err != nil {
				return due, err
			}
			if day.Working() || (p == calendar.ExtendHolidays && day.Kind != calendar.Holiday) {
				break
			}
			d, moved = d.AddDays(1), true
		}
		if !moved {
			return due, nil
		}
		return d.End(loc), nil
	}
}

// pauses pairs pause and resume events that concern the clock (or every clock).
func pauses(events []cases.Event, id string, from time.Time) []Interval {
	var out []Interval
	var open *Interval
	for _, e := range events {
		if e.Kind != KindPause && e.Kind != KindResume {
			continue
		}
		if d := data(e); d.Clock != "" && d.Clock != id {
			continue
		}
		at := e.OccurredAt
		if at.Before(from) {
			at = from
		}
		switch {
		case e.Kind == KindPause && open == nil:
			open = &Interval{From: at}
		case e.Kind == KindResume && open != nil:
			open.To = at
			out = append(out, *open)
			open = nil
		}
	}
	if open != nil {
		out = append(out, *open) // still paused: To stays zero
	}
	return out
}

// stop is the first satisfying event after the trigger, or the case being resolved or closed.
func stop(f Facts, kinds []string, trigger time.Time) time.Time {
	for _, e := range f.Events {
		if e.OccurredAt.Before(trigger) {
			continue
		}
		if slices.Contains(kinds, e.Kind) {
			return e.OccurredAt
		}
		if e.Kind == KindStatus {
			if to := data(e).To; to == string(cases.StatusResolved) || to == string(cases.StatusClosed) {
				return e.OccurredAt
			}
		}
	}
	if f.Case.Status == cases.StatusResolved || f.Case.Status == cases.StatusClosed {
		return f.Case.UpdatedAt // resolved without a status event (imported that way)
	}
	return time.Time{}
}
