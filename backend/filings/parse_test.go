package filings

import (
	"encoding/binary"
	"os"
	"testing"
	"time"

	"cockpit/backend/calendar"
)

func TestFirstFaceOfShippedCollection(t *testing.T) {
	const ttc = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
	raw, err := os.ReadFile(ttc)
	if err != nil {
		if os.Getenv("COCKPIT_CI") == "1" {
			t.Fatalf("fonts-wqy-microhei is required in CI: %v", err)
		}
		t.Skipf("%s not installed", ttc)
	}
	face, err := FirstFace(raw)
	if err != nil {
		t.Fatal(err)
	}
	if binary.BigEndian.Uint32(face) != 0x00010000 || len(face) >= len(raw) {
		t.Errorf("face: version %#x, %d of %d bytes", binary.BigEndian.Uint32(face), len(face), len(raw))
	}
	for _, bad := range [][]byte{nil, []byte("ttcf"), []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\xff\xff\xff\xff"), raw[:4096]} {
		if _, err := FirstFace(bad); err == nil {
			t.Errorf("FirstFace accepted %d bad bytes", len(bad))
		}
	}
	if _, err := LoadCJKFont("/nonexistent/font.ttf"); err == nil {
		t.Error("a missing font was accepted")
	}
}

// FuzzFirstFace: no collection, however broken, makes the unpacker panic or read out of range.
func FuzzFirstFace(f *testing.F) {
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00glyf\x00\x00\x00\x00\x00\x00\x00\x20\x00\x00\x00\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = FirstFace(b)
	})
}

func TestParseTemplatesRejectsBadRules(t *testing.T) {
	for name, src := range map[string]string{
		"syntax":     `{`,
		"no labels":  `{"scenarios": {"x": {"items": [{"code": "a"}]}}}`,
		"dup code":   `{"scenarios": {"x": {"items": [{"code": "a", "zh": "甲", "en": "A"}, {"code": "a", "zh": "甲", "en": "A"}]}}}`,
		"bad unit":   `{"matters": {"mediation": {"items": [], "deadlines": [{"id": "d", "unit": "weeks", "amount": 2}]}}}`,
		"bad date":   `{"matters": {"mediation": {"items": [], "deadlines": [{"id": "d", "unit": "days", "amount": 2, "effective_from": "2026-13-01"}]}}}`,
		"bad extend": `{"matters": {"mediation": {"items": [], "deadlines": [{"id": "d", "unit": "days", "amount": 2, "extend": "sometimes"}]}}}`,
	} {
		if _, err := ParseTemplates([]byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	tpl := DefaultTemplates()
	if len(tpl.Scenarios) != 5 || len(tpl.Matters) != 5 {
		t.Errorf("shipped templates: %d scenarios, %d matters", len(tpl.Scenarios), len(tpl.Matters))
	}
}

// FuzzParseTemplates: rule files are edited by people; no content makes the loader panic, and what it
// accepts computes deadlines without panicking either.
func FuzzParseTemplates(f *testing.F) {
	f.Add(defaultTemplates)
	f.Add([]byte(`{"matters": {"mediation": {"items": [], "deadlines": [{"id": "d", "unit": "days", "amount": 2}]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tpl, err := ParseTemplates(b)
		if err != nil {
			return
		}
		m := Matter{Type: Mediation, ReceivedAt: time.Date(2026, 9, 29, 2, 0, 0, 0, time.UTC)}
		_ = tpl.Deadlines(m, noCalendar{}, time.UTC, m.ReceivedAt)
	})
}

// noCalendar knows no year: the fuzz target only checks that deadline computation survives any accepted
// template (real counting is tested with the shipped calendar in filings_test.go).
type noCalendar struct{}

func (noCalendar) AddWorkingDays(time.Time, *time.Location, int) (calendar.Due, error) {
	return calendar.Due{}, &calendar.UnknownYearError{Year: 2026}
}

func (noCalendar) AddCalendarDays(time.Time, *time.Location, int, calendar.Extend) (calendar.Due, error) {
	return calendar.Due{}, &calendar.UnknownYearError{Year: 2026}
}
