package app

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/imapsync"
	"cockpit/backend/ingest/imapsync/dovecottest"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// TestSourcesService drives the IMAP accounts page as the window does: roles, add, test, run now, the
// watcher picking up new mail, quarantine with retry, and the sandboxed HTML of a hostile message.
func TestSourcesService(t *testing.T) {
	t.Setenv("COCKPIT_SECRETS", "file")
	srv := dovecottest.Start(t)
	png := []byte("\x89PNG\r\n\x1a\n0000IHDRfake-image-bytes")
	hostile := "From: evil@example.com\r\nSubject: hello\r\nMessage-ID: <evil@example.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/related; boundary=B\r\n\r\n--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		`<p onclick="window.go.app.Sources.RemoveAccount(1)">Hi<script>window.go.app.People.SignOut()</script>` +
		`<img src="cid:logo@x"><img src="https://tracker.example/pixel.gif"><iframe src="https://evil.example"></iframe></p>` + "\r\n" +
		"--B\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(png) + "\r\n--B--\r\n"
	if _, err := srv.Append("INBOX", []byte(hostile), []byte("no header at all\r\n")); err != nil {
		t.Fatal(err)
	}
	core, _, _, p := staffedCore(t)
	s := &Sources{core: core}
	req := AccountRequest{Name: "complaints", Enabled: true, Password: srv.Password,
		Account: imapsync.Account{Host: "127.0.0.1", Port: srv.Port, Security: imapsync.SecurityPlain, Username: srv.User},
		Folders: []imapsync.Folder{{Name: "INBOX", Role: ingest.RoleComplaints}}}
	res, err := s.TestConnection(req)
	if err != nil || len(res.Folders) == 0 {
		t.Fatalf("test connection: %+v %v", res, err)
	}
	id, err := s.AddAccount(req)
	if err != nil {
		t.Fatal(err)
	}
	// A supervisor may run a sync but not change accounts.
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "sup1")
	if _, err := s.RemoveAccount(id); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor removed an account: %v", err)
	}
	run, err := s.RunNow(id)
	if err != nil || run.AlreadyRunning || run.Stats.Ingested != 1 || run.Stats.Quarantined != 1 {
		t.Fatalf("run now: %+v %v", run, err)
	}
	accts, err := s.ListAccounts()
	if err != nil || len(accts) != 1 || accts[0].Folders[0].MessageCount != 1 || accts[0].Folders[0].QuarantinedCount != 1 {
		t.Fatalf("accounts: %+v %v", accts, err)
	}
	if strings.Contains(accts[0].Account.Host+accts[0].Name, srv.Password) {
		t.Fatal("password in the DTO")
	}
	q, err := s.Quarantine(0)
	if err != nil || len(q) != 1 || q[0].Error == "" {
		t.Fatalf("quarantine: %+v %v", q, err)
	}
	if out, err := s.Retry(q[0].ID); err != nil || out.Status != ingest.StatusQuarantined {
		t.Fatalf("retry: %+v %v", out, err)
	}

	// The hostile HTML: no script, no handlers, no iframe, inline image embedded, remote image blocked by CSP.
	c := &Cases{core: core}
	list, err := c.List(ListQuery{})
	if err != nil || len(list) != 1 {
		t.Fatalf("cases: %+v %v", list, err)
	}
	detail, err := c.Get(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	ev := detail.Timeline[len(detail.Timeline)-1]
	for _, e := range detail.Timeline {
		if e.Kind == "email" {
			ev = e
		}
	}
	doc, err := s.MessageHTML(ev.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onclick", "<iframe", "window.go"} {
		if strings.Contains(doc.Document, bad) {
			t.Errorf("sanitised HTML still has %q: %s", bad, doc.Document)
		}
	}
	if !strings.Contains(doc.Document, "data:image/png;base64,"+base64.StdEncoding.EncodeToString(png)) {
		t.Errorf("inline image not embedded: %s", doc.Document)
	}
	if !doc.HasRemote || strings.Contains(doc.CSP, "https:") || !strings.Contains(doc.CSP, "default-src 'none'") {
		t.Errorf("CSP %q hasRemote %v", doc.CSP, doc.HasRemote)
	}
	if allowed, _ := s.MessageHTML(ev.ID, true); !strings.Contains(allowed.CSP, "https:") {
		t.Errorf("remote images not allowed on request: %q", allowed.CSP)
	}

	// The folder turns out to be where the regulator writes: set to regulator (by the administrator: a
	// supervisor may not), the case its mail already went into becomes a regulator matter, audited.
	req.ID, req.Password = id, ""
	req.Folders = []imapsync.Folder{{Name: "INBOX", Role: ingest.RoleRegulator}}
	if _, err := s.UpdateAccount(req); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor changed a folder's role: %v", err)
	}
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "root")
	if n, err := s.UpdateAccount(req); err != nil || n != 1 {
		t.Fatalf("folder set to regulator: %d cases marked, %v", n, err)
	}
	if got, _ := c.Get(list[0].ID); !got.Case.IsRegulator {
		t.Fatalf("case %d is no regulator matter", list[0].ID)
	}
	if n, err := s.UpdateAccount(req); err != nil || n != 0 {
		t.Fatalf("saved again with the same roles: %d cases marked, %v", n, err)
	}
	entries, err := core.Store.ListAudit(context.Background(), store.AuditFilter{Action: "source.folder_regulator"})
	if err != nil || len(entries) != 1 || entries[0].Actor != "root" || !strings.Contains(entries[0].DetailJSON, `"cases_marked":1`) {
		t.Fatalf("audit of the role change: %+v %v", entries, err)
	}

	// The watcher (started as the window starts) picks up new mail without a click.
	if err := core.startMailSync(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if _, err := srv.Append("INBOX", []byte("From: new@example.com\r\nSubject: arrives during IDLE\r\nMessage-ID: <idle@example.com>\r\n\r\nhi\r\n")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if list, _ := c.List(ListQuery{}); len(list) == 2 {
			core.stopMailSync()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("new mail did not arrive through the watcher")
}

// TestOrderPatternsService: the order-number patterns page. Anyone reads them; only a manager or an admin
// tries or saves them; a pattern that cannot find a number is refused and changes nothing; every save
// is audited with the list saved; an empty list goes back to the built-in one.
func TestOrderPatternsService(t *testing.T) {
	core, _, rec, p := staffedCore(t)
	s := &Sources{core: core}
	got, err := s.OrderPatterns()
	if err != nil || got.Custom || len(got.Patterns) != len(cases.DefaultOrderPatterns) || len(got.Defaults) != len(got.Patterns) {
		t.Fatalf("fresh workspace: %+v %v; want the built-in list", got, err)
	}
	shop := []cases.OrderPattern{{Platform: "shop", Regexp: `商城单号\s*(SH\d{8})`}, cases.DefaultOrderPatterns[0]}
	found, err := s.TestOrderPatterns(shop, "您好，商城单号 SH20261125 的奶粉还没到")
	if err != nil || len(found) != 1 || found[0].No != "SH20261125" || found[0].Platform != "shop" {
		t.Fatalf("try: %+v %v", found, err)
	}
	for name, bad := range map[string][]cases.OrderPattern{
		"no capture group": {{Platform: "shop", Regexp: `SH\d{8}`}},
		"does not compile": {{Platform: "shop", Regexp: `(SH\d{8}`}},
		"no platform":      {{Platform: " ", Regexp: `(SH\d{8})`}},
	} {
		if err := s.SaveOrderPatterns(bad); err == nil {
			t.Errorf("%s: saved", name)
		}
	}
	if got, _ := s.OrderPatterns(); got.Custom {
		t.Fatal("a refused save changed the patterns")
	}
	if err := s.SaveOrderPatterns(shop); err != nil {
		t.Fatal(err)
	}
	builtin := slices.Clone(cases.DefaultOrderPatterns)
	got, err = s.OrderPatterns()
	if err != nil || !got.Custom || len(got.Patterns) != 2 || got.Patterns[0] != shop[0] {
		t.Fatalf("after save: %+v %v", got, err)
	}
	// Reading the saved list leaves the built-in one as it was (new mail falls back to it on reset).
	if !slices.Equal(got.Defaults, builtin) || !slices.Equal(cases.DefaultOrderPatterns, builtin) {
		t.Fatalf("the built-in patterns changed: %+v", cases.DefaultOrderPatterns)
	}
	st, _ := core.ready()
	rows, err := st.ListAudit(context.Background(), store.AuditFilter{Action: "order_patterns.save"})
	if err != nil || len(rows) != 1 || rows[0].Actor != "root" || !strings.Contains(rows[0].DetailJSON, `SH\\d{8}`) {
		t.Fatalf("audit: %+v %v", rows, err)
	}
	if !slices.Contains(rec.names, "orderpatterns:changed") {
		t.Errorf("events %v, want orderpatterns:changed", rec.names)
	}

	// A supervisor reads them but may neither try nor change them.
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "sup1")
	if got, err := s.OrderPatterns(); err != nil || !got.Custom {
		t.Fatalf("supervisor reading: %+v %v", got, err)
	}
	if err := s.SaveOrderPatterns(nil); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor reset the patterns: %v", err)
	}
	if _, err := s.TestOrderPatterns(shop, "x"); !errors.Is(err, people.ErrForbidden) {
		t.Fatalf("supervisor tried patterns: %v", err)
	}
	if _, err := p.SignOut(); err != nil {
		t.Fatal(err)
	}
	mustSignIn(t, p, "root")
	if err := s.SaveOrderPatterns(nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.OrderPatterns(); got.Custom || len(got.Patterns) != len(cases.DefaultOrderPatterns) {
		t.Fatalf("after reset: %+v", got)
	}
}
