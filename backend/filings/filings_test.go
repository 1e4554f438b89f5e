package filings_test

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/blobs"
	"cockpit/backend/clocks"
	"cockpit/backend/evidence"
	"cockpit/backend/filings"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

var (
	legal      = evidence.Actor{Name: "li.legal", Role: "legal"}
	supervisor = evidence.Actor{Name: "zhang.sup", Role: "supervisor"}
)

type fixture struct {
	dir   string
	st    *store.Store
	clock *clocks.Fixed
	ev    *evidence.Service
	fl    *filings.Service
}

// newFixture opens a real store with the shipped rules' holiday calendar and the real audit log.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	compiled, err := rules.CompileDefault()
	if err != nil {
		t.Fatal(err)
	}
	clock := &clocks.Fixed{T: time.Date(2026, 9, 29, 2, 0, 0, 0, time.UTC)}
	log := audit.Log{Store: st, Clock: clock}
	f := &fixture{dir: dir, st: st, clock: clock}
	f.ev = &evidence.Service{Repo: st, Blobs: blobs.New(filepath.Join(dir, "blobs")), Clock: clock, Audit: log}
	f.fl = &filings.Service{Repo: st, Templates: filings.DefaultTemplates(), Calendar: compiled.Calendar, Clock: clock,
		Zone: shanghai, Audit: log}
	f.exec(t, `INSERT INTO people (username, display_name, role, created_at) VALUES
		('li.legal', '李法务', 'legal', '2026-01-01T00:00:00.000Z'), ('zhang.sup', '张主管', 'supervisor', '2026-01-01T00:00:00.000Z')`)
	f.exec(t, `INSERT INTO customers (id, display_name, email, phone, created_at) VALUES (1, '王小明', 'wangxm@example.com', '13812345678', '2026-09-29T00:00:00.000Z')`)
	f.exec(t, `INSERT INTO cases (id, title, type, subtype, level, customer_id, order_no, is_regulator, work_order_no, opened_at, updated_at)
		VALUES (1, '奶粉结块致婴儿过敏投诉（12315转办）', 'product', 'quality', 1, 1, 'JD20260618001', 1, '12315-2026-0929-0001',
		'2026-09-29T01:00:00.000Z', '2026-09-29T01:00:00.000Z')`)
	f.exec(t, `INSERT INTO case_events (case_id, kind, channel, actor, occurred_at, summary) VALUES
		(1, 'email', 'email', 'wangxm@example.com', '2026-09-29T01:00:00.000Z', '客户来信：奶粉结块，孩子过敏'),
		(1, 'letter', 'regulator', '12315', '2026-09-29T02:00:00.000Z', '12315 转办通知'),
		(1, 'note', 'internal', 'li.legal', '2026-09-29T03:00:00.000Z', '已联系仓库调取同批次记录')`)
	return f
}

func (f *fixture) exec(t testing.TB, q string, args ...any) {
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

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRuleInForce(t *testing.T) {
	for _, tt := range []struct {
		received string
		want     string
	}{
		{"2026-04-14 23:59", "order20"},
		{"2026-04-15 00:00", "order121"},
		{"2025-10-01 12:00", "order20"},
		{"2026-09-29 10:00", "order121"},
	} {
		if got := filings.RuleInForce(at(tt.received), shanghai).ID; got != tt.want {
			t.Errorf("RuleInForce(%s) = %s, want %s", tt.received, got, tt.want)
		}
	}
}

// National Day 2026: 10-01..10-07 off, Saturday 10-10 a make-up working day (国办发明电〔2025〕7号).
func TestDeadlinesAcrossNationalDay(t *testing.T) {
	f := newFixture(t)
	tpl := filings.DefaultTemplates()
	tests := []struct {
		name     string
		typ      filings.MatterType
		received string
		want     map[string]string // deadline id -> due date, or "unknown"
	}{
		{"12315 complaint: 7 WD skip the holiday, count the make-up Saturday", filings.ComplaintForwarded, "2026-09-29 10:00",
			map[string]string{"regulator_accept": "2026-10-14"}},
		{"ODR: 10 WD", filings.ODRDispute, "2026-09-29 10:00", map[string]string{"odr_settle": "2026-10-19"}},
		{"received on a holiday counts from the next day", filings.ComplaintForwarded, "2026-10-03 09:00",
			map[string]string{"regulator_accept": "2026-10-15"}},
		{"recall: 2 WD from the eve of the holiday", filings.RecallReport, "2026-09-30 17:00",
			map[string]string{"recall_report": "2026-10-09", "recall_plan": "2026-10-20"}},
		{"mediation under Order 121: 60 calendar days", filings.Mediation, "2026-09-29 10:00",
			map[string]string{"mediation_o121": "2026-11-28"}},
		{"mediation under Order 20: 45 WD across National Day 2025", filings.Mediation, "2025-09-26 10:00",
			map[string]string{"mediation_o20": "2025-12-04"}},
		{"Order 20 across New Year and the Spring Festival with their make-up Saturdays", filings.Mediation, "2025-12-31 10:00",
			map[string]string{"mediation_o20": "2026-03-11"}},
		{"into a year without a table", filings.ODRDispute, "2026-12-25 10:00", map[string]string{"odr_settle": "unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := filings.Matter{Type: tt.typ, ReceivedAt: at(tt.received), Status: filings.StatusDraft}
			got := tpl.Deadlines(m, f.fl.Calendar, shanghai, f.clock.Now())
			if len(got) != len(tt.want) {
				t.Fatalf("deadlines = %+v, want %v", got, tt.want)
			}
			for _, d := range got {
				want := tt.want[d.ID]
				switch {
				case want == "unknown":
					if d.State != "unknown" || !strings.Contains(d.Error, "2027") {
						t.Errorf("%s: %+v, want unknown for lack of a 2027 table", d.ID, d)
					}
				case d.DueDate != want:
					t.Errorf("%s due %s, want %s", d.ID, d.DueDate, want)
				case !d.DueAt.Equal(at(want+" 00:00").AddDate(0, 0, 1)):
					t.Errorf("%s due at %s, want 24:00 of %s", d.ID, d.DueAt, want)
				}
			}
		})
	}
}

func addFile(t testing.TB, f *fixture, name, content string) evidence.Item {
	t.Helper()
	it, _, err := f.ev.AddFile(context.Background(), legal, evidence.Folder{CaseID: 1}, name, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func itemByCode(t *testing.T, items []filings.Item, code string) filings.Item {
	t.Helper()
	for _, it := range items {
		if it.Code == code {
			return it
		}
	}
	t.Fatalf("no checklist item %s", code)
	return filings.Item{}
}

func TestScenarioChecklistAndMatterLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if got := f.fl.Templates.SuggestScenarios("quality", []string{"过敏"}); strings.Join(got, ",") != "quality,allergy" {
		t.Errorf("suggested %v", got)
	}
	if n, err := f.fl.ApplyScenario(ctx, supervisor, 1, "not_received"); err != nil || n != 5 {
		t.Fatalf("apply: %d %v", n, err)
	}
	if n, _ := f.fl.ApplyScenario(ctx, supervisor, 1, "not_received"); n != 0 {
		t.Errorf("applying again added %d", n)
	}
	if _, err := f.fl.ApplyScenario(ctx, supervisor, 1, "nonsense"); err == nil {
		t.Error("unknown scenario accepted")
	}
	missing, _ := f.fl.MissingByCase(ctx, []int64{1, 2})
	if len(missing[1]) != 1 || missing[1][0].Code != "signing" || !strings.Contains(missing[1][0].ZH, " 或 ") {
		t.Fatalf("missing = %+v", missing)
	}
	cf, _ := f.fl.Case(ctx, 1)
	chat := addFile(t, f, "chat.txt", "买家：是我家人签收的")
	if err := f.fl.Link(ctx, supervisor, itemByCode(t, cf.Checklist, "signing_chat").ID, chat.ID); err != nil {
		t.Fatal(err)
	}
	if missing, _ = f.fl.MissingByCase(ctx, []int64{1}); len(missing[1]) != 0 {
		t.Errorf("after linking a chat admission, missing = %+v", missing[1])
	}

	// Opening a matter is the legal liaison's job, and she owns it.
	n := filings.NewMatter{CaseID: 1, Type: filings.ComplaintForwarded, Regulator: "杭州市西湖区市场监督管理局",
		WorkOrderNo: "12315-2026-0929-0001", ReceivedAt: at("2026-09-29 10:00")}
	if _, err := f.fl.CreateMatter(ctx, supervisor, n); !errors.Is(err, filings.ErrForbidden) {
		t.Errorf("supervisor opened a matter: %v", err)
	}
	if _, err := f.fl.CreateMatter(ctx, legal, filings.NewMatter{CaseID: 1, Type: filings.ComplaintForwarded, ReceivedAt: n.ReceivedAt, Owner: "zhang.sup"}); err == nil {
		t.Error("a supervisor was made owner")
	}
	m, err := f.fl.CreateMatter(ctx, legal, n)
	if err != nil {
		t.Fatal(err)
	}
	if m.Status != filings.StatusDraft || m.Owner != "li.legal" || m.Title != "12315投诉转办" {
		t.Errorf("matter = %+v", m)
	}
	if _, err := f.fl.SetStatus(ctx, legal, m.ID, filings.StatusReady); err == nil || !strings.Contains(err.Error(), "原始订单") {
		t.Errorf("ready with nothing linked: %v", err)
	}
	cf, _ = f.fl.Case(ctx, 1)
	mv := cf.Matters[0]
	if mv.Rule.ID != "order121" || len(mv.Deadlines) != 1 || mv.Deadlines[0].DueDate != "2026-10-14" || len(mv.Missing) != 4 {
		t.Fatalf("matter view = %+v", mv)
	}
	req := map[string]string{"order_records": "order.csv", "communication_records": "chat.txt", "handling_result": "result.txt", "business_licence": "licence.pdf"}
	for code, file := range req {
		ev := chat
		if file != "chat.txt" {
			ev = addFile(t, f, file, "content of "+file)
		}
		item := itemByCode(t, mv.Items, code)
		if err := f.fl.Sign(ctx, legal, item.ID, ""); err == nil {
			t.Errorf("signed %s with no evidence", code)
		}
		if err := f.fl.Link(ctx, supervisor, item.ID, ev.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.fl.Sign(ctx, supervisor, item.ID, ""); !errors.Is(err, filings.ErrForbidden) {
			t.Errorf("supervisor signed: %v", err)
		}
	}
	if _, err := f.fl.SetStatus(ctx, legal, m.ID, filings.StatusReady); err == nil || !strings.Contains(err.Error(), "not signed") {
		t.Errorf("ready with unsigned items: %v", err)
	}
	for code := range req {
		if err := f.fl.Sign(ctx, legal, itemByCode(t, mv.Items, code).ID, "已核对原件"); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		to  filings.Status
		dur time.Duration
	}{{filings.StatusReady, time.Hour}, {filings.StatusSubmitted, 2 * time.Hour}, {filings.StatusReplied, 72 * time.Hour}, {filings.StatusClosed, time.Hour}} {
		f.clock.Advance(step.dur)
		if m, err = f.fl.SetStatus(ctx, legal, m.ID, step.to); err != nil || m.Status != step.to {
			t.Fatalf("to %s: %+v %v", step.to, m, err)
		}
	}
	if m.ReadyAt.IsZero() || !m.SubmittedAt.After(m.ReadyAt) || !m.RepliedAt.After(m.SubmittedAt) || !m.ClosedAt.After(m.RepliedAt) {
		t.Errorf("status dates = %+v", m)
	}
	if _, err := f.fl.SetStatus(ctx, legal, m.ID, filings.StatusDraft); err == nil {
		t.Error("a closed matter was reopened")
	}
	rep, err := audit.Verify(ctx, f.st)
	if err != nil || len(rep.Problems) != 0 {
		t.Errorf("audit chain: %+v %v", rep, err)
	}
}

// TestPacketExport writes the packet, checks the PDF's text with pdftotext and the ZIP's manifest, and
// renders the first pages with pdftoppm into $ARTIFACTS for a human look.
func TestPacketExport(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("COCKPIT_CI") == "1" {
				t.Fatalf("%s (poppler-utils) is required in CI: %v", tool, err)
			}
			t.Skipf("%s not installed (apt install poppler-utils)", tool)
		}
	}
	font, err := filings.LoadCJKFont(os.Getenv("COCKPIT_PDF_FONT"))
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join("..", "evidence", "testdata", "complaint.eml"))
	if err != nil {
		t.Fatal(err)
	}
	var items []evidence.Item
	for _, x := range []struct{ name, content string }{
		{"complaint.eml", string(raw)}, {"../../etc/passwd", "root:x:0:0"}, {"CON.txt", "检测报告：不合格"},
		{"医院诊断书.pdf", "%PDF-1.4 诊断"}, {"照片1.jpg", "\xff\xd8\xff\xe0 photo"},
	} {
		items = append(items, addFile(t, f, x.name, x.content))
	}
	red, err := f.ev.Redact(ctx, legal, items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	items = append(items, red)
	if _, err := f.fl.ApplyScenario(ctx, legal, 1, "allergy"); err != nil {
		t.Fatal(err)
	}
	m, err := f.fl.CreateMatter(ctx, legal, filings.NewMatter{CaseID: 1, Type: filings.ComplaintForwarded,
		Regulator: "杭州市西湖区市场监督管理局", ReceivedAt: at("2026-09-29 10:00")})
	if err != nil {
		t.Fatal(err)
	}
	cf, _ := f.fl.Case(ctx, 1)
	med := itemByCode(t, cf.Checklist, "medical_proof")
	for _, err := range []error{
		f.fl.Link(ctx, legal, med.ID, items[3].ID),
		f.fl.Sign(ctx, legal, med.ID, "原件已核对"),
		f.fl.Link(ctx, legal, itemByCode(t, cf.Matters[0].Items, "communication_records").ID, items[0].ID),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}

	x := &filings.Exporter{Filings: f.fl, Evidence: f.ev, Cases: f.st, Font: font}
	if _, err := x.Export(ctx, supervisor, 1, t.TempDir()); !errors.Is(err, filings.ErrForbidden) {
		t.Errorf("supervisor exported: %v", err)
	}
	out := t.TempDir()
	res, err := x.Export(ctx, legal, 1, out)
	if err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-layout", res.PDF, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"奶粉结块致婴儿过敏投诉（12315转办）", "监管报送材料", "证据索引", "材料清单与签核",
		"2026-10-14 24:00", "12315 转办通知", "原件已核对", "《市场监督管理投诉举报处理办法》", "12315投诉转办"} {
		if !strings.Contains(flat, want) && !strings.Contains(string(text), want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	for _, it := range items {
		if !strings.Contains(string(text), it.SHA256) {
			t.Errorf("PDF text lacks the hash of evidence %d %s", it.ID, it.SHA256)
		}
	}
	if strings.Contains(string(text), "\uFFFD") || !strings.Contains(string(text), "王小明") {
		t.Errorf("PDF text garbled or lacks the complainant's name:\n%s", text)
	}

	// The ZIP holds exactly the manifest's files, byte for byte, under safe names.
	zr, err := zip.OpenReader(res.ZIP)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var manifest evidence.Manifest
	got := map[string]string{}
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if zf.Name == "manifest.json" {
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
			continue
		}
		sum := sha256.Sum256(b)
		got[zf.Name] = hex.EncodeToString(sum[:])
	}
	if len(manifest.Files) != len(items) || len(got) != len(items) {
		t.Fatalf("manifest %d files, zip %d, evidence %d", len(manifest.Files), len(got), len(items))
	}
	for _, e := range manifest.Files {
		if got[e.Path] != e.SHA256 {
			t.Errorf("%s: zip hash %s, manifest %s", e.Path, got[e.Path], e.SHA256)
		}
		if strings.Contains(e.Path, "..") || strings.HasPrefix(e.Path, "/") || strings.Contains(e.Path, "/CON.") {
			t.Errorf("unsafe path %s", e.Path)
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 2 {
		t.Errorf("export dir holds %d files, want the PDF and the ZIP", len(entries))
	}

	// A picture of the packet for people (and reviewers) to look at.
	art := os.Getenv("ARTIFACTS")
	if art == "" {
		art = t.TempDir()
	}
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(art, "filing-packet")
	if b, err := exec.Command("pdftoppm", "-png", "-r", "60", res.PDF, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, b)
	}
	pdfCopy, _ := os.ReadFile(res.PDF)
	os.WriteFile(prefix+".pdf", pdfCopy, 0o644)
	pages, _ := filepath.Glob(prefix + "-*.png")
	if len(pages) < 2 {
		t.Errorf("rendered %d pages", len(pages))
	}
	t.Logf("packet rendered to %s-*.png (%d pages), matter %d", prefix, len(pages), m.ID)
}
