package calendar

import (
	"fmt"
	"time"
)

// Extend says which days push the end of a calendar-day period to the next working day (WD-04,
// 民法典 Art. 203 ¶1). Whether weekends count as 法定休假日 is a legal reading, hence a policy.
type Extend string

const (
	ExtendNone     Extend = "none"      // the period ends where it ends
	ExtendHolidays Extend = "holidays"  // only statutory holidays extend it
	ExtendRestDays Extend = "rest_days" // weekends and holidays extend it (the consumer-favourable default)
)

// ParseExtend validates a policy name; empty means ExtendRestDays.
func ParseExtend(s string) (Extend, error) {
	switch Extend(s) {
	case "":
		return ExtendRestDays, nil
	case ExtendNone, ExtendHolidays, ExtendRestDays:
		return Extend(s), nil
	}
	return "", fmt.Errorf("extend policy %q: want none, holidays or rest_days", s)
}

// maxPeriod bounds counting so that a bad rule cannot loop for ever.
const maxPeriod = 3660

// Due is the end of a counted period.
type Due struct {
	// Date is the last day of the period; the deadline is 24:00 that day.
	Date Date `json:"due_date"`
	// At is 24:00 of Date in the calendar's zone (00:00 of the next day).
	At time.Time `json:"due_at"`
	// Skipped lists the days passed over: rest days between the trigger and Date for working-day
	// periods, and the extension days for calendar-day periods.
	Skipped []Day `json:"skipped"`
}

// AddWorkingDays counts n working days starting the day after the trigger (WD-02: 开始的当日不计入).
func (c *Calendar) AddWorkingDays(trigger time.Time, loc *time.Location, n int) (Due, error) {
	if n < 1 || n > maxPeriod {
		return Due{}, fmt.Errorf("working days must be 1..%d, got %d", maxPeriod, n)
	}
	d := DateOf(trigger, loc)
	due := Due{Skipped: []Day{}}
	for count := 0; count < n; {
		d = d.AddDays(1)
		day, err := c.Day(d)
		if err != nil {
			return Due{}, err
		}
		if day.Working() {
			count++
		} else {
			due.Skipped = append(due.Skipped, day)
		}
	}
	due.Date, due.At = d, d.End(loc)
	return due, nil
}

// AddCalendarDays counts n calendar days from the day after the trigger (WD-03) and, per policy, moves
// an end that falls on a rest day to the next working day (WD-04).
func (c *Calendar) AddCalendarDays(trigger time.Time, loc *time.Location, n int, ext Extend) (Due, error) {
	if n < 1 || n > maxPeriod {
		return Due{}, fmt.Errorf("days must be 1..%d, got %d", maxPeriod, n)
	}
	d := DateOf(trigger, loc).AddDays(n)
	due := Due{Skipped: []Day{}}
	for i := 0; ext != ExtendNone; i++ {
		day, err := c.Day(d)
		if err != nil {
			return Due{}, err
		}
		rest := day.Kind == Holiday || (ext == ExtendRestDays && !day.Working())
		if !rest || i > 60 {
			break
		}
		due.Skipped = append(due.Skipped, day)
		d = d.AddDays(1)
	}
	due.Date, due.At = d, d.End(loc)
	return due, nil
}
