package clocks

import (
	"fmt"
	"time"

	"cockpit/backend/calendar"
)

// Interval is [From, To).
type Interval struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Meter says which stretches of time a clock counts.
type Meter interface {
	// Next returns the first counting window that ends after t, starting no earlier than t.
	Next(t time.Time) (Interval, error)
	// Calendar returns the calendar whose rest days the meter skips, or nil if it counts every day.
	Calendar() *calendar.Calendar
}

// forever is far enough for any deadline and safe from overflow.
var forever = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// Continuous counts every instant (minutes, round-the-clock hours and calendar days).
type Continuous struct{}

// Next implements Meter.
func (Continuous) Next(t time.Time) (Interval, error) { return Interval{t, forever}, nil }

// Calendar implements Meter.
func (Continuous) Calendar() *calendar.Calendar { return nil }

// maxScanDays bounds the day-by-day search of the calendar meters.
const maxScanDays = 800

// BusinessHours counts From..To minutes after local midnight, on working days or on every day.
type BusinessHours struct {
	Cal      *calendar.Calendar
	Loc      *time.Location
	From, To int // minutes after midnight
	AllDays  bool
}

// Next implements Meter.
func (b BusinessHours) Next(t time.Time) (Interval, error) {
	d := calendar.DateOf(t, b.Loc)
	for i := 0; i < maxScanDays; i, d = i+1, d.AddDays(1) {
		if !b.AllDays {
			ok, err := b.Cal.IsWorkday(d)
			if err != nil {
				return Interval{}, err
			}
			if !ok {
				continue
			}
		}
		start := d.Start(b.Loc)
		w := Interval{start.Add(time.Duration(b.From) * time.Minute), start.Add(time.Duration(b.To) * time.Minute)}
		if w.To.After(t) {
			if w.From.Before(t) {
				w.From = t
			}
			return w, nil
		}
	}
	return Interval{}, fmt.Errorf("no business hours within %d days of %s", maxScanDays, t.Format(time.RFC3339))
}

// Calendar implements Meter.
func (b BusinessHours) Calendar() *calendar.Calendar {
	if b.AllDays {
		return nil
	}
	return b.Cal
}

// WorkingDays counts whole local working days.
type WorkingDays struct {
	Cal *calendar.Calendar
	Loc *time.Location
}

// Next implements Meter.
func (w WorkingDays) Next(t time.Time) (Interval, error) {
	d := calendar.DateOf(t, w.Loc)
	for i := 0; i < maxScanDays; i, d = i+1, d.AddDays(1) {
		ok, err := w.Cal.IsWorkday(d)
		if err != nil {
			return Interval{}, err
		}
		if !ok {
			continue
		}
		iv := Interval{d.Start(w.Loc), d.End(w.Loc)}
		if iv.To.After(t) {
			if iv.From.Before(t) {
				iv.From = t
			}
			return iv, nil
		}
	}
	return Interval{}, fmt.Errorf("no working day within %d days of %s", maxScanDays, t.Format(time.RFC3339))
}

// Calendar implements Meter.
func (w WorkingDays) Calendar() *calendar.Calendar { return w.Cal }
