// Package calendar knows which days are working days in mainland China: weekends, the statutory
// holidays and the make-up working days (调休) published each year by the State Council General Office.
// The tables are data (assets/rules/holidays); a date in a year without a table is an error naming the
// year, never a guess, because the schedule changes every year and is only known once published.
package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Table is one year's State Council schedule as shipped in assets/rules/holidays/YYYY.json.
type Table struct {
	Year   int           `json:"year"`
	Source string        `json:"source"`
	Off    []OffRange    `json:"off"`
	Makeup []MakeupEntry `json:"makeup_workdays"`
}

// OffRange is a run of days off, both ends inclusive.
type OffRange struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// MakeupEntry is a weekend day that is a working day (调休).
type MakeupEntry struct {
	Name string `json:"name"`
	Date string `json:"date"`
}

// Kind says what sort of day a date is.
type Kind string

const (
	Workday   Kind = "workday"
	Weekend   Kind = "weekend"
	Holiday   Kind = "holiday"
	MakeupDay Kind = "makeup" // a weekend day worked in exchange for a holiday
)

// Day is the classification of one date, with the holiday's name when it has one.
type Day struct {
	Date Date   `json:"date"`
	Kind Kind   `json:"kind"`
	Name string `json:"name,omitempty"`
}

// Working reports whether people work that day.
func (d Day) Working() bool { return d.Kind == Workday || d.Kind == MakeupDay }

// UnknownYearError is returned for any date in a year without a table.
type UnknownYearError struct{ Year int }

func (e *UnknownYearError) Error() string {
	return fmt.Sprintf("no holiday table for %d: the State Council schedule for that year is not loaded, so working days cannot be counted (add the table in the rules; Cockpit never guesses)", e.Year)
}

// IsUnknownYear returns the year and true when err is (or wraps) an UnknownYearError.
func IsUnknownYear(err error) (int, bool) {
	var u *UnknownYearError
	if errors.As(err, &u) {
		return u.Year, true
	}
	return 0, false
}

// Calendar answers day questions for the years it has tables for.
type Calendar struct {
	special map[Date]Day
	sources map[int]string
}

// New validates the tables and builds a calendar. Each table must only name dates of its own year,
// off days must not overlap, and make-up days must be weekend days that are not also off.
func New(tables []Table) (*Calendar, error) {
	c := &Calendar{special: map[Date]Day{}, sources: map[int]string{}}
	for _, t := range tables {
		if _, dup := c.sources[t.Year]; dup {
			return nil, fmt.Errorf("holiday table %d given twice", t.Year)
		}
		if t.Year < 1949 || t.Year > 9999 {
			return nil, fmt.Errorf("holiday table: year %d out of range", t.Year)
		}
		c.sources[t.Year] = t.Source
		for _, r := range t.Off {
			from, err := ParseDate(r.From)
			if err != nil {
				return nil, fmt.Errorf("holiday table %d, %s: %w", t.Year, r.Name, err)
			}
			to, err := ParseDate(r.To)
			if err != nil {
				return nil, fmt.Errorf("holiday table %d, %s: %w", t.Year, r.Name, err)
			}
			if to.Before(from) || to.Sub(from) > 31 {
				return nil, fmt.Errorf("holiday table %d, %s: range %s..%s is not a holiday run", t.Year, r.Name, r.From, r.To)
			}
			for d := from; !d.After(to); d = d.AddDays(1) {
				if d.Year() != t.Year {
					return nil, fmt.Errorf("holiday table %d, %s: %s is in another year", t.Year, r.Name, d)
				}
				if prev, dup := c.special[d]; dup {
					return nil, fmt.Errorf("holiday table %d: %s is both %s and %s", t.Year, d, prev.Name, r.Name)
				}
				c.special[d] = Day{Date: d, Kind: Holiday, Name: r.Name}
			}
		}
		for _, m := range t.Makeup {
			d, err := ParseDate(m.Date)
			if err != nil {
				return nil, fmt.Errorf("holiday table %d, %s: %w", t.Year, m.Name, err)
			}
			if d.Year() != t.Year {
				return nil, fmt.Errorf("holiday table %d, %s: %s is in another year", t.Year, m.Name, d)
			}
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return nil, fmt.Errorf("holiday table %d, %s: make-up day %s is a %s, not a weekend day", t.Year, m.Name, d, wd)
			}
			if prev, dup := c.special[d]; dup {
				return nil, fmt.Errorf("holiday table %d: %s is both %s and %s", t.Year, d, prev.Name, m.Name)
			}
			c.special[d] = Day{Date: d, Kind: MakeupDay, Name: m.Name}
		}
	}
	return c, nil
}

// ParseTable reads one year's JSON table.
func ParseTable(b []byte) (Table, error) {
	var t Table
	if err := json.Unmarshal(b, &t); err != nil {
		return t, fmt.Errorf("holiday table: %w", err)
	}
	if t.Year == 0 {
		return t, fmt.Errorf("holiday table: missing year")
	}
	return t, nil
}

// Sub is the number of days from o to d.
func (d Date) Sub(o Date) int { return int(d.t.Sub(o.t).Hours() / 24) }

// Years lists the years with a table, ascending.
func (c *Calendar) Years() []int {
	out := make([]int, 0, len(c.sources))
	for y := range c.sources {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// Source is the notice a year's table comes from.
func (c *Calendar) Source(year int) string { return c.sources[year] }

// Day classifies d, or fails with UnknownYearError.
func (c *Calendar) Day(d Date) (Day, error) {
	if _, ok := c.sources[d.Year()]; !ok {
		return Day{}, &UnknownYearError{Year: d.Year()}
	}
	if s, ok := c.special[d]; ok {
		return s, nil
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return Day{Date: d, Kind: Weekend}, nil
	}
	return Day{Date: d, Kind: Workday}, nil
}

// IsWorkday implements WD-01: Mon-Fri not off, or a make-up day.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	day, err := c.Day(d)
	return day.Working(), err
}
