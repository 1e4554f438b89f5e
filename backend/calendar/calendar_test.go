package calendar_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"cockpit/assets"
	"cockpit/backend/calendar"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// shipped loads the holiday tables exactly as the application ships them.
func shipped(t testing.TB) *calendar.Calendar {
	t.Helper()
	files, err := fs.Glob(assets.Rules, "rules/holidays/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no holiday tables embedded: %v", err)
	}
	var tables []calendar.Table
	for _, f := range files {
		b, err := fs.ReadFile(assets.Rules, f)
		if err != nil {
			t.Fatal(err)
		}
		tb, err := calendar.ParseTable(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		tables = append(tables, tb)
	}
	c, err := calendar.New(tables)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func dates(days []calendar.Day) string {
	var out []string
	for _, d := range days {
		out = append(out, d.Date.String())
	}
	return strings.Join(out, ",")
}

func TestWorkingDaysPerYear(t *testing.T) {
	c := shipped(t)
	// regulatory.md §10.3: both 2025 and 2026 have 248 working days.
	for _, year := range []int{2025, 2026} {
		n := 0
		for d := calendar.NewDate(year, 1, 1); d.Year() == year; d = d.AddDays(1) {
			ok, err := c.IsWorkday(d)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				n++
			}
		}
		if n != 248 {
			t.Errorf("%d: %d working days, want 248", year, n)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := shipped(t)
	tests := []struct {
		name, trigger string
		n             int
		want, skipped string
	}{
		{"National Day 2026 with make-up Saturday 10-10", "2026-09-28 10:00", 7, "2026-10-13",
			"2026-10-01,2026-10-02,2026-10-03,2026-10-04,2026-10-05,2026-10-06,2026-10-07,2026-10-11"},
		{"make-up Sunday 2026-09-20 counts", "2026-09-18 16:00", 1, "2026-09-20", "2026-09-19"},
		{"Spring Festival 2026: make-up Saturday then 9 days off", "2026-02-13 09:00", 3, "2026-02-25",
			"2026-02-15,2026-02-16,2026-02-17,2026-02-18,2026-02-19,2026-02-20,2026-02-21,2026-02-22,2026-02-23"},
		{"Spring Festival 2025: make-up Sunday 01-26", "2025-01-24 18:00", 2, "2025-01-27", "2025-01-25"},
		{"Spring Festival 2025 across the break", "2025-01-27 12:00", 1, "2025-02-05",
			"2025-01-28,2025-01-29,2025-01-30,2025-01-31,2025-02-01,2025-02-02,2025-02-03,2025-02-04"},
		{"year boundary into 元旦 2026 and its make-up Sunday", "2025-12-30 23:30", 3, "2026-01-05",
			"2026-01-01,2026-01-02,2026-01-03"},
		{"trigger day itself is not counted", "2026-03-02 00:01", 1, "2026-03-03", ""},
		{"trigger in a year without a table is fine: counting starts the next day", "2024-12-31 20:00", 1, "2025-01-02", "2025-01-01"},
		{"ODR 10 working days over 劳动节 2026", "2026-04-29 11:00", 10, "2026-05-15",
			"2026-05-01,2026-05-02,2026-05-03,2026-05-04,2026-05-05,2026-05-10"},
		{"local date, not UTC date: 01:00 Shanghai is the previous day in UTC", "2026-03-03 01:00", 1, "2026-03-04", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			due, err := c.AddWorkingDays(at(tc.trigger), shanghai, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			if due.Date.String() != tc.want {
				t.Errorf("due %s, want %s", due.Date, tc.want)
			}
			if got := dates(due.Skipped); got != tc.skipped {
				t.Errorf("skipped %s, want %s", got, tc.skipped)
			}
			if want := due.Date.AddDays(1).Start(shanghai); !due.At.Equal(want) {
				t.Errorf("due at %s, want 24:00 local (%s)", due.At, want)
			}
		})
	}
}

func TestUnknownYearIsAnErrorNamingTheYear(t *testing.T) {
	c := shipped(t)
	_, err := c.AddWorkingDays(at("2026-12-29 10:00"), shanghai, 5)
	year, ok := calendar.IsUnknownYear(err)
	if !ok || year != 2027 {
		t.Fatalf("want unknown year 2027, got %v", err)
	}
	if !strings.Contains(err.Error(), "2027") {
		t.Errorf("error does not name the year: %v", err)
	}
	if _, err := c.IsWorkday(calendar.NewDate(2024, 6, 3)); err == nil {
		t.Error("2024 has no table shipped; want an error, got a guess")
	}
	if _, err := c.AddCalendarDays(at("2026-12-28 10:00"), shanghai, 7, calendar.ExtendRestDays); err == nil {
		t.Error("calendar-day period ending in 2027 must not be extended by guesswork")
	}
	// Without an extension policy the end date needs no table.
	due, err := c.AddCalendarDays(at("2026-12-28 10:00"), shanghai, 7, calendar.ExtendNone)
	if err != nil || due.Date.String() != "2027-01-04" {
		t.Errorf("plain calendar days: %v %v", due.Date, err)
	}
}

func TestAddCalendarDays(t *testing.T) {
	c := shipped(t)
	tests := []struct {
		name, trigger string
		n             int
		ext           calendar.Extend
		want, skipped string
	}{
		{"ends in National Day: extended to the next working day", "2026-09-28 10:00", 7, calendar.ExtendRestDays, "2026-10-08", "2026-10-05,2026-10-06,2026-10-07"},
		{"same with holidays only", "2026-09-28 10:00", 7, calendar.ExtendHolidays, "2026-10-08", "2026-10-05,2026-10-06,2026-10-07"},
		{"no extension", "2026-09-28 10:00", 7, calendar.ExtendNone, "2026-10-05", ""},
		{"ends on a make-up Saturday: a working day, no extension", "2026-10-03 10:00", 7, calendar.ExtendRestDays, "2026-10-10", ""},
		{"ends on an ordinary Saturday", "2026-10-31 10:00", 7, calendar.ExtendRestDays, "2026-11-09", "2026-11-07,2026-11-08"},
		{"ordinary Saturday, holidays-only policy", "2026-10-31 10:00", 7, calendar.ExtendHolidays, "2026-11-07", ""},
		{"15-day deliberate-delay trigger across Spring Festival 2026", "2026-02-01 10:00", 15, calendar.ExtendRestDays, "2026-02-24", "2026-02-16,2026-02-17,2026-02-18,2026-02-19,2026-02-20,2026-02-21,2026-02-22,2026-02-23"},
		{"year boundary onto 元旦 and its make-up Sunday", "2025-12-25 10:00", 7, calendar.ExtendRestDays, "2026-01-04", "2026-01-01,2026-01-02,2026-01-03"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			due, err := c.AddCalendarDays(at(tc.trigger), shanghai, tc.n, tc.ext)
			if err != nil {
				t.Fatal(err)
			}
			if due.Date.String() != tc.want {
				t.Errorf("due %s, want %s", due.Date, tc.want)
			}
			if got := dates(due.Skipped); got != tc.skipped {
				t.Errorf("skipped %s, want %s", got, tc.skipped)
			}
		})
	}
}

func TestTableValidation(t *testing.T) {
	tests := []struct {
		name  string
		table calendar.Table
		want  string
	}{
		{"make-up on a weekday", calendar.Table{Year: 2030, Makeup: []calendar.MakeupEntry{{Name: "x", Date: "2030-01-02"}}}, "not a weekend day"},
		{"off day of another year", calendar.Table{Year: 2030, Off: []calendar.OffRange{{Name: "x", From: "2029-12-31", To: "2030-01-01"}}}, "another year"},
		{"overlap", calendar.Table{Year: 2030, Off: []calendar.OffRange{{Name: "a", From: "2030-01-01", To: "2030-01-02"}, {Name: "b", From: "2030-01-02", To: "2030-01-03"}}}, "both"},
		{"reversed range", calendar.Table{Year: 2030, Off: []calendar.OffRange{{Name: "a", From: "2030-01-03", To: "2030-01-01"}}}, "not a holiday run"},
		{"bad date", calendar.Table{Year: 2030, Off: []calendar.OffRange{{Name: "a", From: "2030-13-01", To: "2030-01-01"}}}, "YYYY-MM-DD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := calendar.New([]calendar.Table{tc.table})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func FuzzParseTable(f *testing.F) {
	f.Add([]byte(`{"year":2030,"off":[{"name":"a","from":"2030-01-01","to":"2030-01-01"}],"makeup_workdays":[{"name":"b","date":"2030-01-05"}]}`))
	f.Add([]byte(`{"year":0}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := calendar.ParseTable(b)
		if err != nil {
			return
		}
		c, err := calendar.New([]calendar.Table{tb})
		if err != nil {
			return
		}
		if len(c.Years()) != 1 {
			t.Fatalf("one table, %d years", len(c.Years()))
		}
	})
}
