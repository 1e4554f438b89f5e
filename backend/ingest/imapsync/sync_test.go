package imapsync_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"cockpit/backend/blobs"
	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/imapsync"
	"cockpit/backend/ingest/imapsync/dovecottest"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

type env struct {
	t     *testing.T
	srv   *dovecottest.Server
	st    *store.Store
	blobs *blobs.Store
	p     *ingest.Pipeline
	sec   secrets.Store
	src   int64
	conn  imapsync.Connector
}

func newEnv(t *testing.T, folders ...imapsync.Folder) *env {
	t.Helper()
	srv := dovecottest.Start(t)
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sec, err := secrets.Open(dir, "file")
	if err != nil {
		t.Fatal(err)
	}
	bs := blobs.New(filepath.Join(dir, "blobs"))
	clock := &clocks.Fixed{T: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
	p := &ingest.Pipeline{Store: st, Blobs: bs, Clock: clock}
	if len(folders) == 0 {
		folders = []imapsync.Folder{{Name: "INBOX", Role: ingest.RoleComplaints}}
	}
	acct := imapsync.Account{Host: "127.0.0.1", Port: srv.Port, Security: imapsync.SecurityPlain, Username: srv.User, BatchSize: 50}
	id, err := imapsync.AddAccount(context.Background(), st, sec, "test", acct, folders, srv.Password, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, st: st, blobs: bs, p: p, sec: sec, src: id,
		conn: imapsync.Connector{Secrets: sec, Backoff: func(int) time.Duration { return 200 * time.Millisecond }, MaxReconnects: 3}}
}

func (e *env) sync() ingest.Stats {
	e.t.Helper()
	st, err := e.syncErr()
	if err != nil {
		e.t.Fatalf("sync: %v", err)
	}
	return st
}

func (e *env) syncErr() (ingest.Stats, error) {
	src, err := e.st.GetSource(context.Background(), e.src)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.conn.SyncOnce(context.Background(), e.p, src, nil)
}

func (e *env) cases() []cases.Case {
	e.t.Helper()
	list, err := e.st.ListCases(context.Background(), cases.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// rawByUID maps the source's raw items by UID.
func (e *env) rawByUID() map[string]store.RawItem {
	e.t.Helper()
	items, err := e.st.ListRawItems(context.Background(), store.RawItemFilter{SourceID: e.src})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]store.RawItem{}
	for _, r := range items {
		out[r.ExternalID] = r
	}
	return out
}

func (e *env) append(folder string, msgs ...[]byte) {
	e.t.Helper()
	if _, err := e.srv.Append(folder, msgs...); err != nil {
		e.t.Fatal(err)
	}
}

// plainRun is n plain messages, subjects "<subject> 0" to "<subject> n-1".
func plainRun(n int, subject, body string) [][]byte {
	msgs := make([][]byte, n)
	for i := range msgs {
		msgs[i] = plain(i, fmt.Sprintf("%s %d", subject, i), body)
	}
	return msgs
}

func enc(e encoding.Encoding, s string) []byte {
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// plain builds a simple message; n makes Message-ID and sender unique.
func plain(n int, subject, body string) []byte {
	return []byte(fmt.Sprintf("From: Customer %d <c%d@example.com>\r\nTo: service@shop.example\r\nSubject: %s\r\n"+
		"Date: Mon, 23 Nov 2026 10:%02d:00 +0800\r\nMessage-ID: <m%d@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
		n, n, mime.QEncoding.Encode("utf-8", subject), n%60, n, body))
}

func TestChineseCharsetsAndAttachments(t *testing.T) {
	e := newEnv(t)
	gbkSubject := "客户投诉：奶粉结块"
	gbkBody := "您好，我买的奶粉结块了，订单号：JD 230915123456。"
	gbkMsg := fmt.Sprintf("From: =?GB2312?B?%s?= <wang@example.com>\r\nSubject: =?GB2312?B?%s?=\r\nMessage-ID: <gbk1@example.com>\r\n"+
		"Date: Mon, 23 Nov 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n",
		base64.StdEncoding.EncodeToString(enc(simplifiedchinese.GBK, "王先生")),
		base64.StdEncoding.EncodeToString(enc(simplifiedchinese.GBK, gbkSubject)),
		base64.StdEncoding.EncodeToString(enc(simplifiedchinese.GBK, gbkBody)))
	// "陶喆" needs GBK: a GB2312 label on GBK text, which real mailers send all the time.
	gbkOnly := "回复：陶喆的订单"
	gbkOnlyMsg := fmt.Sprintf("From: tao@example.com\r\nSubject: =?gb2312?B?%s?=\r\nMessage-ID: <gbk2@example.com>\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n%s\r\n",
		base64.StdEncoding.EncodeToString(enc(simplifiedchinese.GBK, gbkOnly)), enc(simplifiedchinese.GBK, "陶喆的奶粉"))
	big5Subject := "退貨申請：商品破損"
	big5Msg := fmt.Sprintf("From: lee@example.com.tw\r\nSubject: =?Big5?B?%s?=\r\nMessage-ID: <big5@example.com>\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		base64.StdEncoding.EncodeToString(enc(traditionalchinese.Big5, big5Subject)), enc(traditionalchinese.Big5, "包裹破損，請處理。"))
	attachment := make([]byte, 70_000)
	if _, err := rand.Read(attachment); err != nil {
		t.Fatal(err)
	}
	attMsg := "From: photo@example.com\r\nSubject: =?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("照片")) + "?=\r\nMessage-ID: <att@example.com>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n见附件\r\n" +
		"--XYZ\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename*=UTF-8''..%2F..%2F%E7%85%A7%E7%89%87.jpg\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		wrap(base64.StdEncoding.EncodeToString(attachment)) + "--XYZ--\r\n"
	// Above maxInMemory: streamed to the blob store and parsed from there, not handed over in memory.
	bigAttachment := make([]byte, 1_200_000)
	if _, err := rand.Read(bigAttachment); err != nil {
		t.Fatal(err)
	}
	bigAttMsg := "From: video@example.com\r\nSubject: big\r\nMessage-ID: <big@example.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=XYZ\r\n\r\n--XYZ\r\nContent-Type: text/plain\r\n\r\nvideo attached\r\n" +
		"--XYZ\r\nContent-Type: video/mp4; name=clip.mp4\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		wrap(base64.StdEncoding.EncodeToString(bigAttachment)) + "--XYZ--\r\n"
	if len(bigAttMsg) <= 1<<20 { // maxInMemory
		t.Fatalf("the big message has %d bytes, not above maxInMemory", len(bigAttMsg))
	}
	e.append("INBOX", []byte(gbkMsg), []byte(gbkOnlyMsg), []byte(big5Msg), []byte(attMsg), []byte(bigAttMsg))
	st := e.sync()
	if st.Ingested != 5 || st.Quarantined != 0 {
		t.Fatalf("stats %+v, want 5 ingested", st)
	}
	titles := map[string]cases.Case{}
	for _, c := range e.cases() {
		titles[c.Title] = c
	}
	for _, want := range []string{gbkSubject, gbkOnly, big5Subject, "照片"} {
		if _, ok := titles[want]; !ok {
			t.Errorf("no case titled %q; have %v", want, keys(titles))
		}
	}
	c := titles[gbkSubject]
	if c.OrderNo != "230915123456" || c.Customer.DisplayName != "王先生" {
		t.Errorf("GBK case: order %q customer %q", c.OrderNo, c.Customer.DisplayName)
	}
	ev := e.events(c.ID)
	if !strings.Contains(ev[0].BodyText, "奶粉结块") {
		t.Errorf("GBK body %q", ev[0].BodyText)
	}
	if ev := e.events(titles[big5Subject].ID); !strings.Contains(ev[0].BodyText, "包裹破損") {
		t.Errorf("Big5 body %q", ev[0].BodyText)
	}
	if ev := e.events(titles[gbkOnly].ID); !strings.Contains(ev[0].BodyText, "陶喆") {
		t.Errorf("GBK-in-GB2312 body %q", ev[0].BodyText)
	}
	atts, err := e.st.Attachments(context.Background(), titles["照片"].ID, 0)
	if err != nil || len(atts) != 1 {
		t.Fatalf("attachments %v %v", atts, err)
	}
	got, err := e.blobs.ReadAll(atts[0].SHA256)
	if err != nil || !bytes.Equal(got, attachment) {
		t.Fatalf("attachment bytes differ after ingest (err %v)", err)
	}
	if atts[0].Filename != "照片.jpg" {
		t.Errorf("attachment name %q: path parts must be gone", atts[0].Filename)
	}
	atts, err = e.st.Attachments(context.Background(), titles["big"].ID, 0)
	if err != nil || len(atts) != 1 {
		t.Fatalf("attachments of the big message %v %v", atts, err)
	}
	if got, err := e.blobs.ReadAll(atts[0].SHA256); err != nil || !bytes.Equal(got, bigAttachment) {
		t.Fatalf("big attachment bytes differ after ingest (err %v)", err)
	}
	// Raw bytes kept: every raw item's blob hashes to its recorded sum.
	raws, _ := e.st.ListRawItems(context.Background(), store.RawItemFilter{})
	for _, r := range raws {
		if err := e.blobs.Verify(r.SHA256); err != nil {
			t.Error(err)
		}
	}
}

func wrap(s string) string {
	var sb strings.Builder
	for len(s) > 76 {
		sb.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	return sb.String() + s + "\r\n"
}

func keys(m map[string]cases.Case) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func (e *env) events(caseID int64) []cases.Event {
	e.t.Helper()
	ev, err := e.st.CaseEvents(context.Background(), caseID)
	if err != nil || len(ev) == 0 {
		e.t.Fatalf("events of case %d: %v %v", caseID, ev, err)
	}
	return ev
}

func TestResyncAddsNothingAndFlagsUntouched(t *testing.T) {
	e := newEnv(t)
	e.append("INBOX", plainRun(30, "投诉", "物流太慢")...)
	before, err := e.srv.Flags("INBOX")
	if err != nil {
		t.Fatal(err)
	}
	if st := e.sync(); st.Ingested != 30 {
		t.Fatalf("first sync %+v", st)
	}
	if st := e.sync(); st.Fetched != 0 {
		t.Fatalf("second sync fetched %d, want 0", st.Fetched)
	}
	if n := len(e.cases()); n != 30 {
		t.Fatalf("%d cases, want 30", n)
	}
	after, err := e.srv.Flags("INBOX")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Fatalf("flags changed by sync: %v -> %v", before, after)
	}
	// Threading: a reply joins the case of the message it answers, and says why.
	reply := []byte("From: c3@example.com\r\nSubject: Re: 投诉 3\r\nMessage-ID: <r3@example.com>\r\nIn-Reply-To: <m3@example.com>\r\n\r\n还没到\r\n")
	e.append("INBOX", reply)
	if st := e.sync(); st.Ingested != 1 || st.NewCases != 0 {
		t.Fatalf("reply sync %+v", st)
	}
	for _, c := range e.cases() {
		if c.Title == "投诉 3" {
			ev := e.events(c.ID)
			if len(ev) != 2 || !strings.Contains(ev[1].LinkReason, "m3@example.com") {
				t.Fatalf("reply not threaded: %+v", ev)
			}
		}
	}
}

func TestUIDValidityResetAddsNoDuplicates(t *testing.T) {
	e := newEnv(t)
	e.append("INBOX", plainRun(10, "subject", "body")...)
	e.sync()
	if err := e.srv.SetUIDValidity(context.Background(), "INBOX", 4242); err != nil {
		t.Fatal(err)
	}
	e.append("INBOX", plain(100, "after reset", "new one"))
	st := e.sync()
	if st.Duplicates != 10 || st.Ingested != 1 {
		t.Fatalf("after UIDVALIDITY reset: %+v, want 10 duplicates + 1 ingested", st)
	}
	if n := len(e.cases()); n != 11 {
		t.Fatalf("%d cases, want 11", n)
	}
	fs, _ := e.st.Folders(context.Background(), e.src)
	if fs[0].UIDValidity != 4242 {
		t.Fatalf("folder uidvalidity %d", fs[0].UIDValidity)
	}
	// The timeline follows the mailbox through the new copies: a colleague answers message 0 now.
	items, err := e.st.ListRawItems(context.Background(), store.RawItemFilter{SourceID: e.src})
	if err != nil {
		t.Fatal(err)
	}
	var newUID uint32
	for _, r := range items {
		if r.UIDValidity == 4242 && r.MessageID == "m0@example.com" {
			uid, _ := strconv.ParseUint(r.ExternalID, 10, 32)
			newUID = uint32(uid)
		}
	}
	if newUID == 0 {
		t.Fatalf("no copy of message 0 under the new UIDVALIDITY in %+v", items)
	}
	if err := e.srv.AddFlags("INBOX", newUID, imap.FlagAnswered); err != nil {
		t.Fatal(err)
	}
	if st := e.sync(); st.FlagsChanged != 1 {
		t.Fatalf("sync after the answer %+v", st)
	}
	for _, c := range e.cases() {
		if c.Title == "subject 0" {
			if mb := e.events(c.ID)[0].Mailbox; mb == nil || !slices.Contains(mb.Flags, `\Answered`) {
				t.Fatalf("timeline of the answered message after the reset: %+v", mb)
			}
		}
	}
}

// A colleague answers from the shared mailbox, another deletes a message there: the next sync records
// both (CONDSTORE for the flags), deletes nothing of Cockpit's and fetches no message again.
func TestMailboxChangesFollowed(t *testing.T) {
	e := newEnv(t)
	uids, err := e.srv.Append("INBOX", plain(1, "已回复的投诉", "a"), plain(2, "被删除的投诉", "b"), plain(3, "标星的投诉", "c"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.AddFlags("INBOX", uids[2], imap.FlagFlagged); err != nil {
		t.Fatal(err)
	}
	if st := e.sync(); st.Ingested != 3 || st.Removed != 0 || st.FlagsChanged != 0 {
		t.Fatalf("first sync %+v", st)
	}
	uid := func(i int) string { return fmt.Sprint(uids[i]) }
	if got := e.rawByUID()[uid(2)].MailFlags; fmt.Sprint(got) != `[\Flagged]` {
		t.Fatalf("flags fetched with the message: %v", got)
	}

	if err := e.srv.AddFlags("INBOX", uids[0], imap.FlagAnswered, imap.FlagSeen); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Expunge("INBOX", uids[1]); err != nil {
		t.Fatal(err)
	}
	st := e.sync()
	if st.Fetched != 0 || st.Removed != 1 || st.FlagsChanged != 1 {
		t.Fatalf("sync after the changes %+v, want 1 removed, 1 flags changed, nothing fetched", st)
	}
	now := e.p.Clock.Now()
	items := e.rawByUID()
	if got := items[uid(0)].MailFlags; !slices.Contains(got, `\Answered`) || !slices.Contains(got, `\Seen`) {
		t.Fatalf("answered message's flags %v", got)
	}
	if !items[uid(1)].ExpungedAt.Equal(now) || !items[uid(0)].ExpungedAt.IsZero() {
		t.Fatalf("removal marks: deleted %v, kept %v", items[uid(1)].ExpungedAt, items[uid(0)].ExpungedAt)
	}
	if n := len(e.cases()); n != 3 {
		t.Fatalf("%d cases, want all 3 kept", n)
	}
	if fs, _ := e.st.Folders(context.Background(), e.src); fs[0].RemovedCount != 1 || fs[0].MessageCount != 3 {
		t.Fatalf("folder status %+v: want 3 messages, 1 removed", fs[0])
	}
	// The timeline says so on each message.
	for _, c := range e.cases() {
		ev := e.events(c.ID)
		mb := ev[0].Mailbox
		if mb == nil {
			t.Fatalf("case %q: no mailbox state on %+v", c.Title, ev[0])
		}
		switch c.Title {
		case "已回复的投诉":
			if !slices.Contains(mb.Flags, `\Answered`) || mb.RemovedAt != nil {
				t.Fatalf("answered: %+v", mb)
			}
		case "被删除的投诉":
			if mb.RemovedAt == nil || !mb.RemovedAt.Equal(now) {
				t.Fatalf("removed: %+v", mb)
			}
		}
	}
	// Nothing changed since: the mod-sequence says so, and nothing is counted again.
	if st := e.sync(); st.Fetched != 0 || st.Removed != 0 || st.FlagsChanged != 0 {
		t.Fatalf("quiet sync %+v", st)
	}
}

// capsWithoutCondStore is what a server without CONDSTORE but with IDLE announces, Exchange-like.
var capsWithoutCondStore = []string{"IMAP4rev1", "LITERAL+", "ID", "ENABLE", "IDLE", "NAMESPACE", "UIDPLUS", "UNSELECT", "CHILDREN"}

// A server without CONDSTORE (Exchange, some hosted mail) cannot say which flags changed: a pass lists
// them all, at most once per recheck interval, and records only what differs.
func TestFlagsFollowedWithoutCondStore(t *testing.T) {
	e := newEnv(t)
	if err := e.srv.LimitCapabilities(capsWithoutCondStore...); err != nil {
		t.Fatal(err)
	}
	acct := imapsync.Account{Host: "127.0.0.1", Port: e.srv.Port, Security: imapsync.SecurityPlain, Username: e.srv.User}
	if res, err := imapsync.Test(context.Background(), acct, e.srv.Password, nil); err != nil || res.CondStore || !res.Idle {
		t.Fatalf("connection test %+v %v: want IDLE without CONDSTORE", res, err)
	}
	// An empty folder has no flags to follow: its passes write nothing.
	e.sync()
	if fs, _ := e.st.Folders(context.Background(), e.src); !fs[0].FlagsCheckedAt.IsZero() {
		t.Fatalf("flags of an empty folder checked at %v", fs[0].FlagsCheckedAt)
	}
	uids, err := e.srv.Append("INBOX", plain(1, "稍后回复的投诉", "a"), plain(2, "未处理的投诉", "b"))
	if err != nil {
		t.Fatal(err)
	}
	if st := e.sync(); st.Ingested != 2 {
		t.Fatalf("first sync %+v", st)
	}
	if err := e.srv.AddFlags("INBOX", uids[0], imap.FlagAnswered); err != nil {
		t.Fatal(err)
	}
	clock := e.p.Clock.(*clocks.Fixed)
	clock.Advance(time.Minute)
	if st := e.sync(); st.Fetched != 0 || st.FlagsChanged != 0 {
		t.Fatalf("sync a minute after the first %+v: flags are listed again only after the recheck interval", st)
	}
	clock.Advance(2 * time.Minute)
	if st := e.sync(); st.Fetched != 0 || st.FlagsChanged != 1 {
		t.Fatalf("sync after the interval %+v, want 1 flags changed, nothing fetched", st)
	}
	items := e.rawByUID()
	if got := items[fmt.Sprint(uids[0])].MailFlags; !slices.Contains(got, `\Answered`) {
		t.Fatalf("answered message's flags %v", got)
	}
	if got := items[fmt.Sprint(uids[1])].MailFlags; len(got) != 0 {
		t.Fatalf("untouched message's flags %v", got)
	}
	if fs, _ := e.st.Folders(context.Background(), e.src); !fs[0].FlagsCheckedAt.Equal(clock.Now()) {
		t.Fatalf("flags checked at %v, want %v", fs[0].FlagsCheckedAt, clock.Now())
	}
	clock.Advance(3 * time.Minute)
	if st := e.sync(); st.FlagsChanged != 0 {
		t.Fatalf("listing again with nothing changed %+v", st)
	}
	// The clock set back an hour: the last check looks as if it were in the future, and must not stop
	// the next one.
	if err := e.srv.AddFlags("INBOX", uids[1], imap.FlagSeen); err != nil {
		t.Fatal(err)
	}
	clock.Advance(-time.Hour)
	if st := e.sync(); st.FlagsChanged != 1 {
		t.Fatalf("sync after the clock went back %+v, want the seen flag recorded", st)
	}
}

// Syncs of one account started together in one process take turns: each message is fetched once, none is
// fetched again only to be skipped. "Sync now" does not queue behind a running sync.
func TestConcurrentSyncsTakeTurns(t *testing.T) {
	e := newEnv(t)
	const n = 200
	e.append("INBOX", plainRun(n, "turns", strings.Repeat("x", 2000))...)
	results := make(chan ingest.Stats, 3)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			st, err := e.syncErr()
			if err != nil {
				t.Error(err)
			}
			results <- st
		})
	}
	wg.Wait()
	close(results)
	var total ingest.Stats
	for st := range results {
		total.Fetched += st.Fetched
		total.Ingested += st.Ingested
		total.Skipped += st.Skipped
	}
	if total.Fetched != n || total.Ingested != n || total.Skipped != 0 {
		t.Fatalf("three syncs together: fetched %d, ingested %d, skipped %d; want each of %d messages fetched once",
			total.Fetched, total.Ingested, total.Skipped, n)
	}
	// A sync waiting for its turn gives up when its context ends.
	release, err := imapsync.TakeTurn(context.Background(), e.st, e.src)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	src, _ := e.st.GetSource(context.Background(), e.src)
	if _, err := e.conn.SyncOnce(ctx, e.p, src, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("sync waiting behind another: %v, want the deadline", err)
	}
	// A click on "sync now" meanwhile says so at once, and is no failed run of the account.
	deps := imapsync.Deps{Pipeline: e.p, Secrets: e.sec}
	if _, err := imapsync.SyncNow(context.Background(), deps, e.src, nil); !errors.Is(err, imapsync.ErrSyncing) {
		t.Fatalf("sync now during a sync: %v", err)
	}
	if src, _ := e.st.GetSource(context.Background(), e.src); src.LastError != "" {
		t.Fatalf("account's last error %q", src.LastError)
	}
	release()
	if _, err := imapsync.SyncNow(context.Background(), deps, e.src, nil); err != nil {
		t.Fatalf("sync now once the other ended: %v", err)
	}
}

func TestServerRestartMidSyncLosesNothing(t *testing.T) {
	e := newEnv(t)
	const n = 300
	e.append("INBOX", plainRun(n, "restart", strings.Repeat("x", 2000))...)
	var once sync.Once
	restarted := make(chan struct{})
	src, _ := e.st.GetSource(context.Background(), e.src)
	// Stop Dovecot once a third is committed; start it again a moment later, while the sync retries.
	_, err := e.conn.SyncOnce(context.Background(), e.p, src, func(p ingest.Progress) {
		if p.Done >= n/3 { // progress comes per committed batch
			once.Do(func() {
				e.srv.Stop()
				go func() {
					time.Sleep(300 * time.Millisecond)
					if err := e.srv.Start(); err != nil {
						t.Error(err)
					}
					close(restarted)
				}()
			})
		}
	})
	<-restarted
	t.Logf("sync across the restart returned %v", err)
	e.sync()
	if got := len(e.cases()); got != n {
		t.Fatalf("%d cases after restart, want %d", got, n)
	}
	counts, _ := e.st.RawItemCounts(context.Background(), e.src)
	if counts["ingested"] != n || counts["duplicate"] != 0 {
		t.Fatalf("raw items %v", counts)
	}
}

// New mail, and a flag set in a mail client, reach Cockpit through IDLE: on a server without CONDSTORE
// too, where a pushed flag change must override the spacing of flag listings (the clock here stands still).
func TestIdleDeliversNewMail(t *testing.T) {
	t.Run("condstore", func(t *testing.T) { testIdleDelivers(t, false) })
	t.Run("without condstore", func(t *testing.T) { testIdleDelivers(t, true) })
}

func testIdleDelivers(t *testing.T, withoutCondStore bool) {
	e := newEnv(t)
	if withoutCondStore {
		if err := e.srv.LimitCapabilities(capsWithoutCondStore...); err != nil {
			t.Fatal(err)
		}
	}
	e.append("INBOX", plain(1, "before idle", "x"))
	var syncs atomic.Int32
	synced := make(chan ingest.Stats, 10)
	w := &imapsync.Watcher{Deps: imapsync.Deps{Pipeline: e.p, Secrets: e.sec}, Connector: e.conn, PollInterval: time.Hour,
		OnSynced: func(st ingest.Stats, err error) {
			syncs.Add(1)
			if err != nil {
				t.Errorf("watch sync: %v", err)
			}
			synced <- st
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx, e.src) }()
	defer func() { cancel(); <-done }()
	first := <-synced
	if first.Ingested != 1 {
		t.Fatalf("initial sync %+v", first)
	}
	time.Sleep(500 * time.Millisecond) // let the IDLE connection settle
	deadline := time.After(20 * time.Second)
	waitFor := func(what string, done func(ingest.Stats) bool) {
		t.Helper()
		for {
			select {
			case st := <-synced:
				if done(st) {
					return
				}
			case <-deadline:
				t.Fatalf("%s not picked up by IDLE within 20s (%d syncs)", what, syncs.Load())
			}
		}
	}
	e.append("INBOX", plain(2, "during idle", "y"))
	waitFor("new message", func(st ingest.Stats) bool { return st.Ingested == 1 })
	if n := len(e.cases()); n != 2 {
		t.Fatalf("%d cases", n)
	}
	// A flag set in a mail client is pushed to the IDLE connection too.
	if err := e.srv.AddFlags("INBOX", 1, imap.FlagAnswered); err != nil {
		t.Fatal(err)
	}
	waitFor("flag change", func(st ingest.Stats) bool { return st.FlagsChanged == 1 })
}

func TestMalformedAreQuarantinedRawKept(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Seed through the maildir: some of these bytes would not survive an APPEND literal.
	dir := e.srv.MaildirNew("INBOX")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		var b []byte
		switch i % 4 {
		case 0: // no header at all, just prose
			b = []byte(fmt.Sprintf("this is not a mail message %d\r\nno header here\r\n", i))
		case 1: // binary junk
			b = make([]byte, 300)
			_, _ = rand.Read(b)
			b[5] = 0
		case 2: // only continuation lines
			b = []byte(fmt.Sprintf("   folded %d\r\n\tmore\r\n\r\nbody\r\n", i))
		case 3: // empty-ish
			b = []byte(fmt.Sprintf("\r\n\r\n%d\r\n", i))
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.bad%d:2,", 1700000000+i, i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 20; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.good%d:2,", 1700001000+i, i)), plain(i, fmt.Sprintf("good %d", i), "ok"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.srv.Index(ctx, "INBOX"); err != nil {
		t.Fatal(err)
	}
	st := e.sync()
	if st.Quarantined != 200 || st.Ingested != 20 {
		t.Fatalf("stats %+v, want 200 quarantined and 20 ingested", st)
	}
	q, err := e.st.ListRawItems(ctx, store.RawItemFilter{Status: "quarantined", Limit: 1000})
	if err != nil || len(q) != 200 {
		t.Fatalf("quarantine list %d %v", len(q), err)
	}
	served, err := e.srv.Bodies("INBOX")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range q {
		raw, err := e.blobs.ReadAll(r.SHA256)
		if err != nil {
			t.Fatalf("raw of quarantined %d: %v", r.ID, err)
		}
		var uid uint32
		fmt.Sscan(r.ExternalID, &uid)
		if !bytes.Equal(served[uid], raw) {
			t.Fatalf("quarantined raw item %d (uid %d) differs from what the server holds", r.ID, uid)
		}
		if r.Error == "" {
			t.Fatalf("quarantined %d without an error", r.ID)
		}
	}
	// A retry of something still unreadable keeps it quarantined and counts the attempt.
	out, err := e.p.Retry(ctx, q[0].ID)
	if err != nil || out.Status != ingest.StatusQuarantined {
		t.Fatalf("retry: %+v %v", out, err)
	}
	if r, _ := e.st.GetRawItem(ctx, q[0].ID); r.Attempts != 2 {
		t.Fatalf("attempts %d", r.Attempts)
	}
	fs, _ := e.st.Folders(ctx, e.src)
	if fs[0].QuarantinedCount != 200 || fs[0].MessageCount != 20 || fs[0].LastError != "" {
		t.Fatalf("folder status %+v", fs[0])
	}
}

// A regulator folder named in Chinese, as a Chinese team names it: its name goes over the wire in
// modified UTF-7 and comes back decoded.
func TestRegulatorFolder(t *testing.T) {
	const folder = "监管来函"
	e := newEnv(t, imapsync.Folder{Name: "INBOX", Role: ingest.RoleComplaints}, imapsync.Folder{Name: folder, Role: ingest.RoleRegulator})
	letter := "From: 12315@market.example.gov.cn\r\nSubject: =?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("关于消费者投诉的转办函")) + "?=\r\n" +
		"Message-ID: <reg1@gov.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"工单号：1231520261120001，消费者反映奶粉结块。请于2026年11月30日前将处理结果回复我局。\r\n"
	e.append(folder, []byte(letter))
	e.append("INBOX", plain(1, "普通投诉", "x"))
	st := e.sync()
	if st.Ingested != 2 || st.Folders != 2 {
		t.Fatalf("stats %+v", st)
	}
	var reg *cases.Case
	for _, c := range e.cases() {
		if c.IsRegulator {
			c := c
			reg = &c
		}
	}
	if reg == nil || reg.WorkOrderNo != "1231520261120001" {
		t.Fatalf("regulator case %+v", reg)
	}
	want := time.Date(2026, 11, 30, 23, 59, 59, 0, time.FixedZone("CST", 8*3600)).UTC()
	if !reg.StatedDeadline.Equal(want) {
		t.Fatalf("deadline %v, want %v", reg.StatedDeadline, want)
	}
	if ev := e.events(reg.ID); ev[0].Channel != "regulator" {
		t.Fatalf("channel %q", ev[0].Channel)
	}
	fs, err := e.st.Folders(context.Background(), e.src)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.MessageCount != 1 || f.LastError != "" {
			t.Fatalf("folder status %+v", f)
		}
	}
	// Dovecot keeps the folder under its modified UTF-7 name: what went over the wire.
	dirs, _ := filepath.Glob(filepath.Join(e.srv.Dir, "mail", e.srv.User, "Maildir", ".&*"))
	if len(dirs) != 1 {
		t.Fatalf("maildir folders with an encoded name: %v", dirs)
	}
	acct := imapsync.Account{Host: "127.0.0.1", Port: e.srv.Port, Security: imapsync.SecurityPlain, Username: e.srv.User}
	res, err := imapsync.Test(context.Background(), acct, e.srv.Password, []imapsync.Folder{{Name: folder, Role: ingest.RoleRegulator}})
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(res.Folders, func(f imapsync.FolderInfo) bool { return f.Name == folder }); i < 0 || !res.Folders[i].Configured || res.Folders[i].Messages != 1 {
		t.Fatalf("connection test folders %+v", res.Folders)
	}
}

func TestTestConnectionAndBadPassword(t *testing.T) {
	e := newEnv(t)
	e.append("INBOX", plain(1, "a", "b"), plain(2, "c", "d"))
	acct := imapsync.Account{Host: "127.0.0.1", Port: e.srv.Port, Security: imapsync.SecurityPlain, Username: e.srv.User}
	res, err := imapsync.Test(context.Background(), acct, e.srv.Password, []imapsync.Folder{{Name: "INBOX", Role: "complaints"}, {Name: "Nope", Role: "regulator"}})
	if err != nil {
		t.Fatal(err)
	}
	var inbox, nope imapsync.FolderInfo
	for _, f := range res.Folders {
		switch f.Name {
		case "INBOX":
			inbox = f
		case "Nope":
			nope = f
		}
	}
	if inbox.Messages != 2 || !inbox.Configured || nope.Error == "" || len(res.Capabilities) == 0 || !res.Idle || !res.CondStore {
		t.Fatalf("test result %+v", res)
	}
	// Cockpit says who it is (NetEase's servers refuse to open a folder otherwise); Dovecot logs it.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.srv.InfoLog(), "name=Cockpit") {
		if time.Now().After(deadline) {
			t.Fatalf("no IMAP ID from Cockpit in Dovecot's log:\n%s", e.srv.InfoLog())
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, err = imapsync.Test(context.Background(), acct, "wrong-password-123", nil)
	if err == nil || strings.Contains(err.Error(), "wrong-password-123") {
		t.Fatalf("bad password error %v (must fail and must not echo the password)", err)
	}
	// Plain IMAP to a remote host is refused unless asked for.
	remote := imapsync.Account{Host: "imap.example.com", Security: imapsync.SecurityPlain, Username: "u"}
	if err := remote.Validate(); err == nil {
		t.Fatal("plain to a remote host accepted")
	}
}
