package rt

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

func TestTolerantJSON(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, a Attachment)
	}{
		{"single object: number id, ref TransactionId, parent object", `{"id":15,"TransactionId":{"type":"transaction","id":"49","_url":"x"},"Parent":{"type":"attachment","id":"13"},"Content":"AAE=\n","Filename":"a.bin"}`,
			func(t *testing.T, a Attachment) {
				if a.ID.Int() != 15 || a.TransactionID.ID != "49" || a.Parent.ID != "13" || a.Filename != "a.bin" {
					t.Errorf("%+v", a)
				}
			}},
		{"collection item: string id, plain TransactionId, parent 0, no filename", `{"id":"16","TransactionId":"49","Parent":"0","Content":null}`,
			func(t *testing.T, a Attachment) {
				if a.ID.Int() != 16 || a.TransactionID.ID != "49" || a.Parent.ID != "" || a.Content != nil {
					t.Errorf("%+v", a)
				}
			}},
		{"numbers as floats and null", `{"id":17.0,"TransactionId":49,"Parent":null}`,
			func(t *testing.T, a Attachment) {
				if a.ID.Int() != 17 || a.TransactionID.ID != "49" {
					t.Errorf("%+v", a)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a Attachment
			if err := json.Unmarshal([]byte(tc.in), &a); err != nil {
				t.Fatal(err)
			}
			tc.check(t, a)
		})
	}
}

func TestEnvelopeAndTicketFixture(t *testing.T) {
	var p page[json.RawMessage]
	if err := json.Unmarshal([]byte(`{"total":0,"count":0,"page":1,"per_page":100,"pages":0.0,"items":[]}`), &p); err != nil {
		t.Fatalf("empty result with float pages: %v", err)
	}
	// testdata/ticket.json is GET /ticket/1 from RT 5.0.3 (Debian), captured on 2026-11-25;
	// Subject, Created, Priority and Requestor were then set by hand to fixed values.
	b, err := os.ReadFile("testdata/ticket.json")
	if err != nil {
		t.Fatal(err)
	}
	var tk Ticket
	if err := json.Unmarshal(b, &tk); err != nil {
		t.Fatal(err)
	}
	if tk.ID.Int() != 1 || tk.Subject != "奶粉结块 投诉 #1" || tk.Priority.Int() != 10 || !tk.Resolved.IsZero() ||
		!tk.Created.Equal(time.Date(2026, 11, 25, 5, 52, 33, 0, time.UTC)) || len(tk.RequestorEmails()) != 1 {
		t.Errorf("ticket: %+v", tk)
	}
}

func TestTicketSQL(t *testing.T) {
	s := Settings{Queues: []string{"General", "VIP's"}, Filter: "Priority >= 50"}
	want := `(Queue = 'General' OR Queue = 'VIP\'s') AND (Priority >= 50)`
	if got := s.TicketSQL(); got != want {
		t.Errorf("got %s want %s", got, want)
	}
	if got := sqlTime(time.Date(2026, 11, 25, 13, 52, 55, 0, time.FixedZone("CST", 8*3600))); got != "2026-11-25 05:52:55" {
		t.Errorf("sqlTime %s: must be UTC without Z", got)
	}
}

// FuzzDecode feeds arbitrary bytes to every RT object decoder: no panic, whatever RT sends.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"id":1,"Type":"Create","type":"transaction","Created":"1970-01-01T00:00:00Z"}`,
		`{"pages":0.0,"items":[{"id":"1"}]}`, `{"Parent":"0","TransactionId":{"id":"2"}}`, `{"Requestor":"x"}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var tk Ticket
		_ = json.Unmarshal(b, &tk)
		var tx Transaction
		_ = json.Unmarshal(b, &tx)
		var a Attachment
		_ = json.Unmarshal(b, &a)
		var p page[json.RawMessage]
		_ = json.Unmarshal(b, &p)
		_ = tk.RequestorEmails()
		_ = tx.ID.Int()
	})
}
