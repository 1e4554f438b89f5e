package demo

import (
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

func TestServerServesMailbox(t *testing.T) {
	mb, err := Generate(1, testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Serve(mb, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	want := map[string]uint32{}
	for _, m := range mb.Messages {
		want[m.Folder]++
	}

	exists := make(chan uint32, 4)
	c, err := imapclient.DialInsecure(srv.Addr, &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				exists <- *d.NumMessages
			}
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(Username, Password).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, folder := range []string{FolderRegulator, FolderComplaints} {
		sel, err := c.Select(folder, nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if sel.NumMessages != want[folder] {
			t.Errorf("%s has %d messages, want %d", folder, sel.NumMessages, want[folder])
		}
		wantValidity := map[string]uint32{FolderComplaints: 1, FolderRegulator: 2}[folder]
		if sel.UIDValidity != wantValidity {
			t.Errorf("%s UIDVALIDITY %d, want %d (stable across restarts)", folder, sel.UIDValidity, wantValidity)
		}
	}
	// The first message's bytes come back unchanged.
	msgs, err := c.Fetch(imap.UIDSetNum(1), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("fetch: %v (%d)", err, len(msgs))
	}
	var firstInbox Message
	for _, m := range mb.Messages {
		if m.Folder == FolderComplaints {
			firstInbox = m
			break
		}
	}
	for _, body := range msgs[0].BodySection {
		if string(body.Bytes) != string(firstInbox.Raw) {
			t.Error("fetched message differs from the generated one")
		}
	}

	// A live delivery reaches an IDLE-ing client.
	idle, err := c.Idle()
	if err != nil {
		t.Fatal(err)
	}
	// go-imap's server answers "+ idling" a moment before it listens for updates, and a delivery in
	// between is only reported at the next command (the app's watcher polls every few minutes, so it
	// catches up). On a loaded machine the test can land there; a second delivery is then reported at
	// once, with the first one counted.
	delivered := uint32(0)
	deliver := func(i int) {
		_, live, err := Live(1, i, testNow)
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Deliver(live); err != nil {
			t.Fatal(err)
		}
		delivered++
	}
	deliver(0)
	retry := time.After(3 * time.Second)
	giveUp := time.After(15 * time.Second)
	for n := uint32(0); n != want[FolderComplaints]+delivered; {
		select {
		case n = <-exists: // one EXISTS per delivery, in order
			if n > want[FolderComplaints]+delivered {
				t.Fatalf("EXISTS %d after %d deliveries, want %d", n, delivered, want[FolderComplaints]+delivered)
			}
		case <-retry:
			deliver(1)
		case <-giveUp:
			t.Fatalf("EXISTS %d while idling after %d deliveries, want %d", n, delivered, want[FolderComplaints]+delivered)
		}
	}
	if err := idle.Close(); err != nil {
		t.Fatal(err)
	}
	if err := idle.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestLiveDeterministic(t *testing.T) {
	_, a, err := Live(5, 3, testNow)
	if err != nil {
		t.Fatal(err)
	}
	_, b, _ := Live(5, 3, testNow)
	_, c, _ := Live(5, 4, testNow)
	if string(a.Raw) != string(b.Raw) {
		t.Error("live message differs for the same (seed, n)")
	}
	if a.MessageID == c.MessageID {
		t.Error("two live messages share a Message-ID")
	}
}
