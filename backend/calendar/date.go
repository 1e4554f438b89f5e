package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date (no time, no zone). Deadlines are counted in whole local days, and doing that
// arithmetic on zoned instants goes wrong across DST and zone changes, so dates are kept apart.
type Date struct{ t time.Time } // always 00:00 UTC of the date

// NewDate builds a date; out-of-range values normalise like time.Date.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// DateOf is the local date of instant t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// Year of the date.
func (d Date) Year() int { return d.t.Year() }

// Weekday of the date.
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }

// AddDays moves n days forward (or back when negative).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is later than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Start is 00:00 of the date in loc.
func (d Date) Start(loc *time.Location) time.Time {
	y, m, day := d.t.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

// End is 24:00 of the date in loc, i.e. 00:00 of the next day: deadlines "within N days" end there.
func (d Date) End(loc *time.Location) time.Time { return d.AddDays(1).Start(loc) }

// String is YYYY-MM-DD.
func (d Date) String() string { return d.t.Format("2006-01-02") }

// MarshalText writes YYYY-MM-DD (JSON uses it too).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
