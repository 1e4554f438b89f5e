package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/clocks"
	"cockpit/backend/evidence"
	"cockpit/backend/store"
)

// recorder collects audit records. backend/audit writes the real trail; here the test only needs to
// see which decisions were reported.
type recorder struct{ actions []string }

func (r *recorder) Record(_ context.Context, actor, action, objectType, objectID string, _ map[string]any) error {
	r.actions = append(r.actions, action+" "+objectType+":"+objectID+" by "+actor)
	return nil
}

type fixture struct {
	dir   string
	st    *store.Store
	svc   *evidence.Service
	audit *recorder
	clock *clocks.Fixed
}

var legal = evidence.Actor{Name: "li.legal", Role: "legal"}
var supervisor = evidence.Actor{Name: "zhang.sup", Role: "supervisor"}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{dir: dir, st: st, audit: &recorder{}, clock: &clocks.Fixed{T: time.Date(2026, 9, 29, 2, 0, 0, 0, time.UTC)}}
	f.svc = &evidence.Service{Repo: st, Blobs: blobs.New(filepath.Join(dir, "blobs")), Clock: f.clock, Audit: f.audit}
	f.sql(t, `INSERT INTO cases (id, title, opened_at, updated_at) VALUES (1, '奶粉结块过敏投诉', '2026-09-29T01:00:00.000Z', '2026-09-29T01:00:00.000Z')`)
	return f
}

// sql runs a statement on the database file through a second connection, as a person with the file would.
func (f *fixture) sql(t testing.TB, q string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(f.dir, "cockpit.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) add(t testing.TB, name string, data []byte) evidence.Item {
	t.Helper()
	it, _, err := f.svc.AddFile(context.Background(), legal, evidence.Folder{CaseID: 1}, name, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAddIsIdempotentAndLogsCapture(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.add(t, "complaint.eml", readFixture(t, "complaint.eml"))
	again, created, err := f.svc.AddFile(ctx, legal, evidence.Folder{CaseID: 1}, "copy.eml", bytes.NewReader(readFixture(t, "complaint.eml")))
	if err != nil || created || again.ID != a.ID {
		t.Fatalf("second add: created=%v id=%d err=%v, want the existing item %d", created, again.ID, err, a.ID)
	}
	if a.ContentType != "message/rfc822" || a.Kind != evidence.KindUpload || a.CapturedBy != "li.legal" {
		t.Errorf("item = %+v", a)
	}
	log, err := f.svc.Custody(ctx, a.ID)
	if err != nil || len(log) != 1 || log[0].Action != evidence.ActionCaptured || log[0].Hash != log[0].ComputeHash() {
		t.Fatalf("custody = %+v, %v", log, err)
	}
	if _, _, err := f.svc.AddFile(ctx, legal, evidence.Folder{CaseID: 1, IncidentID: 2}, "x", strings.NewReader("x")); err == nil {
		t.Error("an item in two folders was accepted")
	}
	if len(f.audit.actions) != 1 {
		t.Errorf("audit = %v, want one capture", f.audit.actions)
	}
}

func TestVerifyNamesExactlyTheTamperedItems(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var items []evidence.Item
	for i, name := range []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt"} {
		items = append(items, f.add(t, name, []byte(strings.Repeat(name, i+1))))
	}
	for _, it := range items {
		if _, err := f.svc.Preview(ctx, supervisor, it.ID); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
		if _, err := f.svc.Preview(ctx, legal, it.ID); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := f.svc.Verify(ctx, evidence.Folder{})
	if err != nil || !rep.OK() || rep.Items != 5 || rep.Entries != 15 {
		t.Fatalf("clean verify: %+v %v", rep, err)
	}

	// b: the stored file is changed; c: it disappears.
	pb, _ := f.svc.Blobs.Path(items[1].SHA256)
	if err := os.WriteFile(pb, []byte("forged"), 0o600); err != nil {
		t.Fatal(err)
	}
	pc, _ := f.svc.Blobs.Path(items[2].SHA256)
	if err := os.Remove(pc); err != nil {
		t.Fatal(err)
	}
	// d: someone drops the append-only trigger and rewrites who viewed it (entry 2).
	f.sql(t, "DROP TRIGGER evidence_custody_no_update")
	f.sql(t, "DROP TRIGGER evidence_custody_no_delete")
	f.sql(t, "UPDATE evidence_custody SET actor = 'nobody' WHERE item_id = $1 AND seq = 2", items[3].ID)
	// e: the last view entry is deleted, and the middle one is rewritten and re-sealed with a fresh hash.
	var custodyE []evidence.Custody
	if custodyE, err = f.svc.Custody(ctx, items[4].ID); err != nil {
		t.Fatal(err)
	}
	resealed := custodyE[1]
	resealed.Actor = "nobody"
	resealed.Hash = resealed.ComputeHash()
	f.sql(t, "UPDATE evidence_custody SET actor = $1, hash = $2 WHERE id = $3", resealed.Actor, resealed.Hash, resealed.ID)

	rep, err = f.svc.Verify(ctx, evidence.Folder{CaseID: 1})
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		kind string
		item int64
		seq  int
	}
	got := map[key]bool{}
	for _, p := range rep.Problems {
		got[key{p.Kind, p.ItemID, p.Seq}] = true
		t.Log(p)
	}
	want := map[key]bool{
		{evidence.ProblemFileChanged, items[1].ID, 0}:   true,
		{evidence.ProblemFileMissing, items[2].ID, 0}:   true,
		{evidence.ProblemCustodyEdited, items[3].ID, 2}: true,
		{evidence.ProblemCustodyBroken, items[4].ID, 3}: true, // its link to the re-sealed entry 2 fails
	}
	if len(got) != len(want) || len(rep.Problems) != len(want) {
		t.Fatalf("problems = %v, want exactly %v", got, want)
	}
	for k := range want {
		if !got[k] {
			t.Errorf("missing problem %+v", k)
		}
	}
	// Tampered originals are refused rather than served.
	if _, err := f.svc.Preview(ctx, legal, items[1].ID); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("preview of a changed file: %v", err)
	}
}

func TestVerifyFindsRemovedEntriesAndEditedItemRows(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.add(t, "a.txt", []byte("alpha"))
	b := f.add(t, "b.txt", []byte("beta"))
	otherSum, _, err := f.svc.Blobs.PutBytes([]byte("gamma"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := f.svc.Preview(ctx, legal, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.sql(t, "DROP TRIGGER evidence_custody_no_delete")
	f.sql(t, "DELETE FROM evidence_custody WHERE item_id = $1 AND seq = 2", a.ID)
	// b's record is pointed at another stored file, whose bytes verify fine on their own.
	f.sql(t, "UPDATE evidence_items SET sha256 = $1 WHERE id = $2", otherSum, b.ID)
	rep, err := f.svc.Verify(ctx, evidence.Folder{CaseID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 2 {
		t.Fatalf("problems = %v", rep.Problems)
	}
	if p := rep.Problems[0]; p.ItemID != a.ID || p.Kind != evidence.ProblemCustodyBroken || p.Seq != 3 {
		t.Errorf("first problem = %v", p)
	}
	if p := rep.Problems[1]; p.ItemID != b.ID || p.Kind != evidence.ProblemItemEdited {
		t.Errorf("second problem = %v", p)
	}
}

func TestCustodyIsAppendOnly(t *testing.T) {
	f := newFixture(t)
	f.add(t, "a.txt", []byte("alpha"))
	db, err := sql.Open("sqlite", "file:"+filepath.Join(f.dir, "cockpit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"UPDATE evidence_custody SET actor = 'x'", "DELETE FROM evidence_custody"} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", q, err)
		}
	}
}

func TestExportZipManifestMatchesFilesAndNamesStayInside(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hostile := []string{"../../etc/passwd", "CON.txt", "/abs/path/photo.png", "a\x01b\nc.txt", `..\..\boot.ini`, "photo.png"}
	for i, name := range hostile {
		f.add(t, name, []byte("content "+string(rune('A'+i))))
	}
	// The blob store never used the names: every file under the data dir is a blob, the database or the lock.
	filepath.WalkDir(filepath.Dir(f.dir), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(p, f.dir+string(filepath.Separator)) {
			t.Errorf("file outside the data dir: %s", p)
		}
		return nil
	})
	if _, err := f.svc.Export(ctx, supervisor, evidence.Folder{CaseID: 1}, "x", io.Discard); !errors.Is(err, evidence.ErrForbidden) {
		t.Errorf("supervisor export: %v, want ErrForbidden", err)
	}
	var buf bytes.Buffer
	m, err := f.svc.Export(ctx, legal, evidence.Folder{CaseID: 1}, "奶粉结块过敏投诉", &buf)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, zf := range zr.File {
		if strings.Contains(zf.Name, "..") || strings.HasPrefix(zf.Name, "/") || strings.Contains(zf.Name, "\\") {
			t.Errorf("unsafe zip entry %q", zf.Name)
		}
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[zf.Name] = b
	}
	var manifest evidence.Manifest
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest.Files) != len(hostile) || len(files) != len(hostile)+1 || len(m.Files) != len(hostile) {
		t.Fatalf("manifest has %d entries, zip %d files", len(manifest.Files), len(files))
	}
	names := map[string]bool{}
	for _, e := range manifest.Files {
		b, ok := files[e.Path]
		sum := sha256.Sum256(b)
		if !ok || hex.EncodeToString(sum[:]) != e.SHA256 || int64(len(b)) != e.Size {
			t.Errorf("manifest entry %+v does not match the zip", e)
		}
		names[filepath.Base(e.Path)[5:]] = true
	}
	for _, want := range []string{"passwd", "_CON.txt", "photo.png", "abc.txt", "boot.ini"} {
		if !names[want] {
			t.Errorf("no exported file named %q in %v", want, names)
		}
	}
	// Every item's log now records the export.
	log, _ := f.svc.Custody(ctx, manifest.Files[0].EvidenceID)
	if last := log[len(log)-1]; last.Action != evidence.ActionExported {
		t.Errorf("last custody entry = %+v", last)
	}
}

func TestPreviewMasksForSupervisorsAndRedactKeepsTheOriginal(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	raw := readFixture(t, "complaint.eml")
	orig := f.add(t, "complaint.eml", raw)
	p, err := f.svc.Preview(ctx, supervisor, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != evidence.PreviewEmail || !p.Masked || strings.Contains(p.Email.Body, "13812345678") ||
		!strings.Contains(p.Email.Body, "138****5678") || p.Email.Subject != "奶粉结块 过敏投诉" || p.Email.From != "王小明 <w*****@example.com>" || len(p.Email.Attachments) != 1 {
		t.Errorf("supervisor preview = %+v", p.Email)
	}
	if p, _ := f.svc.Preview(ctx, legal, orig.ID); p.Masked || !strings.Contains(p.Email.Body, "13812345678") {
		t.Errorf("legal preview is masked: %+v", p.Email)
	}
	red, err := f.svc.Redact(ctx, legal, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	copyBytes, _ := f.svc.Blobs.ReadAll(red.SHA256)
	for _, secret := range []string{"13812345678", "110101199003071234", "1390000", "wangxm@"} {
		if bytes.Contains(copyBytes, []byte(secret)) {
			t.Errorf("redacted copy still holds %q:\n%s", secret, copyBytes)
		}
	}
	if red.DerivedFrom != orig.ID || red.Kind != evidence.KindRedacted || red.Filename != "complaint.redacted.txt" {
		t.Errorf("redacted item = %+v", red)
	}
	if b, _ := f.svc.Blobs.ReadAll(orig.SHA256); !bytes.Equal(b, raw) {
		t.Error("the original changed")
	}
	log, _ := f.svc.Custody(ctx, orig.ID)
	if last := log[len(log)-1]; last.Action != evidence.ActionRedacted {
		t.Errorf("original's last custody entry = %+v", last)
	}
	// Chat logs are text and redact the same way; images cannot be redacted automatically.
	chat := f.add(t, "chat.txt", readFixture(t, "chat.txt"))
	if _, err := f.svc.Redact(ctx, legal, chat.ID); err != nil {
		t.Error(err)
	}
	png := f.add(t, "p.png", []byte("\x89PNG\r\n\x1a\n0000"))
	if _, err := f.svc.Redact(ctx, legal, png.ID); err == nil {
		t.Error("an image was redacted automatically")
	}
	if p, _ := f.svc.Preview(ctx, legal, png.ID); p.Kind != evidence.PreviewImage || len(p.Data) == 0 {
		t.Errorf("image preview = %+v", p)
	}
	// A message go-message refuses still previews, as raw text.
	odd := f.add(t, "letters.eml", readFixture(t, "letters_gb18030_mixed.eml"))
	if p, err := f.svc.Preview(ctx, legal, odd.ID); err != nil || p.Kind == evidence.PreviewBinary {
		t.Errorf("odd mail preview = %v, %v", p.Kind, err)
	}
	rep, _ := f.svc.Verify(ctx, evidence.Folder{CaseID: 1})
	if !rep.OK() {
		t.Errorf("verify after redaction: %v", rep.Problems)
	}
}

func TestCollectBringsIngestedOriginalsOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	raw := readFixture(t, "complaint.eml")
	sum, size, err := f.svc.Blobs.PutBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\nphoto")
	psum, psize, _ := f.svc.Blobs.PutBytes(png)
	f.sql(t, `INSERT INTO sources (id, kind, name, created_at) VALUES (1, 'imap', 'shop', '2026-09-29T00:00:00.000Z')`)
	f.sql(t, `INSERT INTO raw_items (id, source_id, external_id, kind, sha256, size, status, case_id, ingested_at)
		VALUES (7, 1, '42', 'email', $1, $2, 'ingested', 1, '2026-09-29T00:00:00.000Z')`, sum, size)
	f.sql(t, `INSERT INTO attachments (id, raw_item_id, case_id, filename, content_type, sha256, size)
		VALUES (3, 7, 1, '../photo.png', 'image/png', $1, $2)`, psum, psize)
	for i := 0; i < 2; i++ {
		n, err := f.svc.Collect(ctx, legal, 1)
		if err != nil || (i == 0 && n != 2) || (i == 1 && n != 0) {
			t.Fatalf("collect #%d: %d, %v", i+1, n, err)
		}
	}
	items, _ := f.svc.List(ctx, evidence.Folder{CaseID: 1})
	if len(items) != 2 || items[0].Source != "raw_item:7" || items[0].ContentType != "message/rfc822" ||
		items[1].Source != "attachment:3" || items[1].Filename != "../photo.png" {
		t.Errorf("items = %+v", items)
	}
}
