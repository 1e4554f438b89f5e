package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMailboxStateAcrossChunks(t *testing.T) {
	st := openTestStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	src, err := st.CreateSource(ctx, Source{Kind: "imap", Name: "box", ConfigJSON: "{}", Enabled: true,
		Folders: []Folder{{Name: "INBOX", Role: "complaints"}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	mb := Mailbox{SourceID: src, Folder: "INBOX", UIDValidity: 7}
	const n = idChunk + 150 // more removals than one statement binds
	err = st.IngestTx(ctx, func(tx *IngestTx) error {
		for uid := 1; uid <= n; uid++ {
			if _, err := tx.InsertRawItem(ctx, RawItem{SourceID: src, Folder: "INBOX", UIDValidity: 7, ExternalID: fmt.Sprint(uid),
				Kind: "email", SHA256: fmt.Sprintf("%064d", uid), Size: 1, Status: "ingested", IngestedAt: now, MailFlags: []string{`\Seen`}}); err != nil {
				return err
			}
		}
		// The same UID under an older UIDVALIDITY is another message: nothing below may touch it.
		_, err := tx.InsertRawItem(ctx, RawItem{SourceID: src, Folder: "INBOX", UIDValidity: 6, ExternalID: "1",
			Kind: "email", SHA256: "old", Size: 1, Status: "ingested", IngestedAt: now})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := st.StillInMailbox(ctx, mb); err != nil || got != n {
		t.Fatalf("still in mailbox %d %v, want %d", got, err, n)
	}
	// Only the first ten are still on the server; UIDs past upTo were not mirrored when the server answered.
	onServer := map[uint32]bool{}
	for uid := uint32(1); uid <= 10; uid++ {
		onServer[uid] = true
	}
	marked, err := st.MarkExpunged(ctx, mb, n-1, onServer, now)
	if err != nil || marked != n-11 {
		t.Fatalf("marked %d %v, want %d", marked, err, n-11)
	}
	if again, _ := st.MarkExpunged(ctx, mb, n-1, onServer, now.Add(time.Hour)); again != 0 {
		t.Fatalf("marked %d again: a removal is recorded once, at the sync that found it", again)
	}
	if got, _ := st.StillInMailbox(ctx, mb); got != 11 {
		t.Fatalf("still in mailbox %d, want 11", got)
	}
	if fs, err := st.Folders(ctx, src); err != nil || fs[0].RemovedCount != n-11 {
		t.Fatalf("folder status %+v %v: want %d removed", fs, err, n-11)
	}
	changed, err := st.SetMailFlags(ctx, mb, map[uint32][]string{1: {`\Seen`, `\Answered`}, 2: {`\Seen`}, 999999: {`\Flagged`}})
	if err != nil || changed != 1 {
		t.Fatalf("flags changed %d %v, want 1 (uid 2 unchanged, 999999 unknown)", changed, err)
	}
	// A full listing, as a server without CONDSTORE gives: in another order, the same flags are no change.
	listing := map[uint32][]string{1: {`\Answered`, `\Seen`}, 5: {`\Flagged`, `\Seen`}}
	for uid := uint32(2); uid <= n; uid++ {
		if uid != 5 {
			listing[uid] = []string{`\Seen`}
		}
	}
	if changed, err := st.SetMailFlags(ctx, mb, listing); err != nil || changed != 1 {
		t.Fatalf("flags changed in a full listing %d %v, want 1 (uid 5)", changed, err)
	}
	items, err := st.ListRawItems(ctx, RawItemFilter{SourceID: src, Limit: n + 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range items {
		switch {
		case r.UIDValidity == 6:
			if !r.ExpungedAt.IsZero() || len(r.MailFlags) != 0 {
				t.Fatalf("older UIDVALIDITY touched: %+v", r)
			}
		case r.ExternalID == "1":
			if !slices.Equal(r.MailFlags, []string{`\Answered`, `\Seen`}) || !r.ExpungedAt.IsZero() {
				t.Fatalf("uid 1: %+v", r)
			}
		case r.ExternalID == "5":
			if !slices.Equal(r.MailFlags, []string{`\Flagged`, `\Seen`}) {
				t.Fatalf("uid 5: %+v", r)
			}
		case r.ExternalID == "11" || r.ExternalID == fmt.Sprint(n-1):
			if !r.ExpungedAt.Equal(now) {
				t.Fatalf("uid %s not marked removed: %+v", r.ExternalID, r)
			}
		case r.ExternalID == fmt.Sprint(n):
			if !r.ExpungedAt.IsZero() {
				t.Fatalf("uid %d beyond upTo marked removed", n)
			}
		}
	}
}

// The engine reads a case's timeline at every refresh: every step of the query must be a keyed search.
func TestCaseEventsByKeys(t *testing.T) {
	st := openTestStore(t)
	rows, err := st.reader().QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+caseEventsQuery, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(detail, "SEARCH ") && !strings.HasPrefix(detail, "USE TEMP B-TREE FOR ORDER BY") &&
			!strings.HasPrefix(detail, "CORRELATED SCALAR SUBQUERY") {
			t.Errorf("case events plan step %q", detail)
		}
	}
}
