package demo

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var testNow = time.Date(2026, 6, 20, 10, 0, 0, 0, time.UTC)

// decoder reads the charsets the demo writes.
var decoder = &mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(cs) {
	case "gbk", "gb2312":
		return simplifiedchinese.GBK.NewDecoder().Reader(r), nil
	case "gb18030":
		return simplifiedchinese.GB18030.NewDecoder().Reader(r), nil
	}
	return nil, fmt.Errorf("unexpected charset %s", cs)
}}

func TestGenerateShape(t *testing.T) {
	mb, err := Generate(1, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(mb.Threads) < 300 {
		t.Fatalf("%d threads, want >= 300", len(mb.Threads))
	}
	counts := map[string]int{}
	var gbk, html, att, follow, en int
	milkCustomers := map[string]bool{}
	for _, th := range mb.Threads {
		counts[th.Scenario]++
		if th.Scenario == "milk_batch" {
			milkCustomers[th.Email] = true
		}
		if th.Lang == "en" {
			en++
		}
		if len(th.Messages) == 0 {
			t.Fatalf("thread %d has no message", th.ID)
		}
		if len(th.Messages) > 1 {
			follow++
		}
	}
	for _, m := range mb.Messages {
		if strings.HasPrefix(m.Charset, "GB") {
			gbk++
		}
		if m.HTML {
			html++
		}
		att += m.Attachments
		if m.Date.After(testNow) || m.Date.Before(testNow.Add(-10*24*time.Hour)) {
			t.Errorf("message %s dated %s, outside the last 10 days", m.MessageID, m.Date)
		}
	}
	if len(milkCustomers) != 10 {
		t.Errorf("%d distinct milk-powder customers, want 10", len(milkCustomers))
	}
	if counts["regulator_letter"] != 3 {
		t.Errorf("%d regulator letters", counts["regulator_letter"])
	}
	for name, n := range map[string]int{"gbk": gbk, "html": html, "attachments": att, "threads with follow-ups": follow, "english": en} {
		if n < 10 {
			t.Errorf("only %d %s", n, name)
		}
	}
	t.Logf("%d threads, %d messages, %d GB*, %d HTML, %d attachments, %d threads with follow-ups, %d English",
		len(mb.Threads), len(mb.Messages), gbk, html, att, follow, en)
}

func TestGenerateDeterministic(t *testing.T) {
	a, err := Generate(7, testNow)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(7, testNow)
	c, _ := Generate(8, testNow)
	if len(a.Messages) != len(b.Messages) {
		t.Fatal("same seed, different message counts")
	}
	for i := range a.Messages {
		if !bytes.Equal(a.Messages[i].Raw, b.Messages[i].Raw) {
			t.Fatalf("message %d differs between two runs with the same seed", i)
		}
	}
	if bytes.Equal(a.Messages[0].Raw, c.Messages[0].Raw) {
		t.Error("different seeds gave the same first message")
	}
}

// Every message must parse as RFC 5322 and its decoded subject must be what the manifest says.
func TestMessagesParse(t *testing.T) {
	mb, err := Generate(3, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range mb.Messages {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		subj, err := decoder.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatalf("message %d subject: %v", i, err)
		}
		if subj != m.Subject {
			t.Fatalf("message %d subject %q, manifest %q", i, subj, m.Subject)
		}
		if got := strings.Trim(msg.Header.Get("Message-ID"), "<>"); got != m.MessageID {
			t.Fatalf("message %d id %q, manifest %q", i, got, m.MessageID)
		}
		d, err := msg.Header.Date()
		if err != nil || !d.Equal(m.Date) {
			t.Fatalf("message %d date %v (%v), manifest %v", i, d, err, m.Date)
		}
	}
}

// Follow-ups thread by In-Reply-To and References to the earlier messages of their thread.
func TestThreading(t *testing.T) {
	mb, err := Generate(1, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range mb.Threads {
		for k, idx := range th.Messages {
			msg, _ := mail.ReadMessage(bytes.NewReader(mb.Messages[idx].Raw))
			irt := msg.Header.Get("In-Reply-To")
			if k == 0 {
				if irt != "" {
					t.Fatalf("thread %d opens with a reply", th.ID)
				}
				continue
			}
			prev := mb.Messages[th.Messages[k-1]]
			if irt != "<"+prev.MessageID+">" {
				t.Fatalf("thread %d message %d In-Reply-To %q, want %s", th.ID, k, irt, prev.MessageID)
			}
			if !strings.Contains(msg.Header.Get("References"), mb.Messages[th.Messages[0]].MessageID) {
				t.Fatalf("thread %d message %d References lack the first message", th.ID, k)
			}
			if !prev.Date.Before(mb.Messages[idx].Date) {
				t.Fatalf("thread %d follow-up is not later than what it answers", th.ID)
			}
		}
	}
}

func TestOrderFormats(t *testing.T) {
	mb, _ := Generate(1, testNow)
	for _, th := range mb.Threads {
		var ok bool
		switch th.Platform {
		case "jd":
			ok = len(th.OrderNo) == 12
		case "taobao", "tmall":
			ok = len(th.OrderNo) == 19
		case "pdd":
			ok = len(th.OrderNo) == 22 && th.OrderNo[6] == '-'
		}
		if !ok {
			t.Errorf("%s order %q has the wrong format", th.Platform, th.OrderNo)
		}
	}
}

func TestPromoFollowsClock(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 6, 20, 0, 0, 0, 0, time.UTC), "618"},
		{time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "双11"},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "年货节"},
	} {
		if got := promoFor(c.at); got != c.want {
			t.Errorf("promoFor(%s) = %s, want %s", c.at, got, c.want)
		}
	}
}

// The linker joins mail by sender and by order number: unrelated threads must share neither.
func TestDistinctSendersAndOrders(t *testing.T) {
	mb, _ := Generate(1, testNow)
	emails, orders := map[string]int{}, map[string]int{}
	for _, th := range mb.Threads {
		if th.LinksTo >= 0 {
			if mb.Threads[th.LinksTo].OrderNo != th.OrderNo {
				t.Errorf("thread %d links to %d but names another order", th.ID, th.LinksTo)
			}
			continue
		}
		if prev, dup := emails[th.Email]; dup {
			t.Errorf("threads %d and %d share sender %s", prev, th.ID, th.Email)
		}
		if prev, dup := orders[th.OrderNo]; dup {
			t.Errorf("threads %d and %d share order %s", prev, th.ID, th.OrderNo)
		}
		emails[th.Email], orders[th.OrderNo] = th.ID, th.ID
	}
	for n := 0; n < 50; n++ {
		th, _, err := Live(1, n, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := emails[th.Email]; dup {
			t.Errorf("live complaint %d reuses sender %s", n, th.Email)
		}
	}
}

func TestMailboxFlags(t *testing.T) {
	mb, err := Generate(1, testNow)
	if err != nil {
		t.Fatal(err)
	}
	answered := 0
	for _, th := range mb.Threads {
		for k, idx := range th.Messages {
			m := mb.Messages[idx]
			followedUp := k < len(th.Messages)-1
			if slices.Contains(m.Flags, imap.FlagAnswered) != followedUp {
				t.Fatalf("thread %d message %d: flags %v, followed up %v", th.ID, k, m.Flags, followedUp)
			}
			if slices.Contains(m.Flags, imap.FlagFlagged) != (m.Folder == FolderRegulator) {
				t.Fatalf("thread %d message %d in %s: flags %v", th.ID, k, m.Folder, m.Flags)
			}
			if slices.Contains(m.Flags, imap.FlagSeen) != (testNow.Sub(m.Date) > 2*time.Hour) {
				t.Fatalf("message of %s read %v", m.Date, m.Flags)
			}
			if followedUp {
				answered++
			}
		}
	}
	if answered == 0 {
		t.Fatal("no thread with a follow-up: the demo shows no answered mail")
	}
}
