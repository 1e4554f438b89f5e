package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cockpit/backend/audit"
	"cockpit/backend/blobs"
	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/ingest"
	"cockpit/backend/store"
)

var shanghai = time.FixedZone("CST", 8*3600)

func newPipeline(t testing.TB) (*ingest.Pipeline, audit.Log) {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir, store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := &clocks.Fixed{T: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)}
	return &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(dir, "blobs")), Clock: clock, Zone: shanghai},
		audit.Log{Store: st, Clock: clock}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func badRows(r Report) map[int]string {
	m := map[int]string{}
	for _, b := range r.BadRows {
		m[b.Row] = b.Reason
	}
	return m
}

func TestImportFixtures(t *testing.T) {
	tests := []struct {
		file, preset   string
		encoding       string
		imported, dups int
		bad            map[int]string // row -> part of the reason
	}{
		{"generic_gb18030.csv", "", "gb18030", 3, 1, map[int]string{4: "created_at (日期)", 5: "not an e-mail address", 6: "empty subject", 9: "stray delimiter"}},
		{"zendesk_bom.csv", "zendesk", "utf-8-bom", 2, 1, map[int]string{5: "unreadable CSV", 6: "empty id"}},
		{"freshdesk.json", "freshdesk", "", 1, 1, map[int]string{3: "empty subject", 4: "not a JSON object", 5: "yesterday"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			p, au := newPipeline(t)
			ctx := context.Background()
			data := readFixture(t, tc.file)
			plan, err := MakePlan(tc.file, data, tc.preset, nil, shanghai)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Table.Encoding != tc.encoding {
				t.Errorf("encoding %q, want %q", plan.Table.Encoding, tc.encoding)
			}
			pv := plan.Preview(tc.file, 5)
			if pv.MappingError != "" || pv.Bad != len(tc.bad) {
				t.Errorf("preview: mapping error %q, %d bad rows: %+v", pv.MappingError, pv.Bad, pv.BadRows)
			}
			rep, err := Import(ctx, p, au, tc.file, data, plan, "tester")
			if err != nil {
				t.Fatal(err)
			}
			got := badRows(rep)
			for row, want := range tc.bad {
				if !strings.Contains(got[row], want) {
					t.Errorf("row %d: reason %q, want it to mention %q", row, got[row], want)
				}
			}
			if rep.Imported != tc.imported || rep.Duplicate != tc.dups || rep.Bad != len(tc.bad) {
				t.Fatalf("imported %d dup %d bad %d (%v), want %d %d %d", rep.Imported, rep.Duplicate, rep.Bad, got, tc.imported, tc.dups, len(tc.bad))
			}
			list, _ := p.Store.ListCases(ctx, cases.Filter{})
			if len(list) != rep.NewCases || rep.NewCases == 0 {
				t.Errorf("%d cases for %d new", len(list), rep.NewCases)
			}

			// The same file again adds nothing; every good row is a duplicate now.
			again, err := Import(ctx, p, au, tc.file, data, plan, "tester")
			if err != nil || again.Imported != 0 || again.Duplicate != tc.imported+tc.dups {
				t.Fatalf("re-import: %+v %v", again, err)
			}
			if list2, _ := p.Store.ListCases(ctx, cases.Filter{}); len(list2) != len(list) {
				t.Fatalf("re-import changed the case count %d -> %d", len(list), len(list2))
			}

			// Undo the first import as a whole: its cases and raw items go, history stays.
			res, err := Undo(ctx, p.Store, au, rep.ImportID, "tester", p.Now())
			if err != nil || res.Rows != tc.imported || res.CasesRemoved != rep.NewCases {
				t.Fatalf("undo: %+v %v", res, err)
			}
			if list3, _ := p.Store.ListCases(ctx, cases.Filter{}); len(list3) != 0 {
				t.Fatalf("%d cases left after undo", len(list3))
			}
			if _, err := Undo(ctx, p.Store, au, rep.ImportID, "tester", p.Now()); err == nil {
				t.Fatal("second undo accepted")
			}
			im, _ := p.Store.GetImport(ctx, rep.ImportID)
			if im.Status != "undone" || im.RowsBad != len(tc.bad) {
				t.Errorf("import after undo: %+v", im)
			}
			// After the undo the rows can be imported again.
			third, err := Import(ctx, p, au, tc.file, data, plan, "tester")
			if err != nil || third.Imported != tc.imported {
				t.Fatalf("import after undo: %+v %v", third, err)
			}
			if rep, err := audit.Verify(ctx, p.Store); err != nil || !rep.OK {
				t.Fatalf("audit chain: %+v %v", rep, err)
			}
		})
	}
}

func TestGB18030ContentSurvives(t *testing.T) {
	p, au := newPipeline(t)
	ctx := context.Background()
	data := readFixture(t, "generic_gb18030.csv")
	plan, _ := MakePlan("x.csv", data, "generic", nil, shanghai)
	if _, err := Import(ctx, p, au, "x.csv", data, plan, "tester"); err != nil {
		t.Fatal(err)
	}
	list, _ := p.Store.ListCases(ctx, cases.Filter{Query: "结块"})
	if len(list) != 1 || list[0].OrderNo != "JD2026112500001" || list[0].Customer.Email != "wang@example.com" {
		t.Fatalf("%+v", list)
	}
	ev, _ := p.Store.CaseEvents(ctx, list[0].ID)
	if len(ev) != 1 || !strings.Contains(ev[0].BodyText, "宝宝奶粉打开后结块") || ev[0].Channel != "import" {
		t.Fatalf("%+v", ev)
	}
	// 2026-11-20 in Shanghai is 2026-11-19T16:00Z.
	if !ev[0].OccurredAt.Equal(time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("occurred at %v", ev[0].OccurredAt)
	}
}

func Test12315Sheet(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"工单编号", "投诉人", "联系电话", "被投诉方", "诉求", "事实与理由", "登记日期", "办结期限"},
		{"SH12315-2026-000123", "刘女士", "13812345678", "某某母婴旗舰店", "退货退款并赔偿", "购买的奶粉有异味，订单号 JD1234567890", "2026-11-20", "2026-11-30"},
		{"", "无编号", "", "店", "诉求", "事实", "2026-11-20", "2026-11-30"},
		{"SH12315-2026-000124", "黄先生", "", "某某旗舰店", "", "", "2026-11-21", "2026-12-01"},
		{"SH12315-2026-000125", "吴女士", "", "某某旗舰店", "赔偿", "快递破损", "2026-11-21", "下周"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "12315工单.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	p, au := newPipeline(t)
	ctx := context.Background()
	plan, err := MakePlan(path, data, "", nil, shanghai)
	if err != nil || plan.Preset.Name != "12315" {
		t.Fatalf("guessed preset %q: %v", plan.Preset.Name, err)
	}
	rep, err := Import(ctx, p, au, path, data, plan, "legal")
	if err != nil {
		t.Fatal(err)
	}
	bad := badRows(rep)
	if rep.Imported != 1 || !strings.Contains(bad[3], "work_order_no") || !strings.Contains(bad[4], "empty body") || !strings.Contains(bad[5], "下周") {
		t.Fatalf("%+v", rep)
	}
	list, _ := p.Store.ListCases(ctx, cases.Filter{Regulator: true})
	if len(list) != 1 {
		t.Fatalf("%d regulator cases", len(list))
	}
	c := list[0]
	wantDeadline := time.Date(2026, 11, 30, 15, 59, 59, 0, time.UTC) // end of 30 Nov in Shanghai
	if c.WorkOrderNo != "SH12315-2026-000123" || !c.StatedDeadline.Equal(wantDeadline) || c.OrderNo != "1234567890" {
		t.Fatalf("case %+v", c)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		end  bool
		want time.Time
		ok   bool
	}{
		{"2026-11-20", false, time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC), true},
		{"2026-11-20", true, time.Date(2026, 11, 20, 15, 59, 59, 0, time.UTC), true},
		{"2026/11/20 10:30", true, time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC), true},
		{"2026年11月20日", false, time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC), true},
		{"2026-11-23T02:00:00Z", false, time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), true},
		{"46346", false, time.Date(2026, 11, 19, 16, 0, 0, 0, time.UTC), true}, // Excel serial
		{"2026-02-30", false, time.Time{}, false},
		{"yesterday", false, time.Time{}, false},
		{"1890-01-01", false, time.Time{}, false},
	}
	for _, tc := range tests {
		got, err := ParseDate(tc.in, shanghai, tc.end)
		if (err == nil) != tc.ok || !got.Equal(tc.want) {
			t.Errorf("ParseDate(%q, %v) = %v, %v; want %v", tc.in, tc.end, got, err, tc.want)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n\"x\"y,3\n"))
	f.Add([]byte("\xef\xbb\xbf标题,内容\n奶粉,结块\n"))
	f.Add([]byte("\xb1\xea\xcc\xe2,\xc4\xda\xc8\xdd\n")) // GB18030 标题,内容
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := ReadTable("f.csv", b)
		if err != nil {
			return
		}
		p := Guess(tb.Header)
		m := p.AutoMap(tb.Header)
		for _, r := range tb.Rows {
			_ = p.ParseRow(tb.Header, m, r, shanghai)
		}
	})
}

func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`[{"id":1,"subject":"a","requester":{"email":"x@y.z"}}]`))
	f.Add([]byte(`{"tickets":[{"id":"2"}, 3, null]}`))
	f.Add([]byte("{\"id\":1}\n{\"id\":2}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := ReadTable("f.json", b)
		if err != nil {
			return
		}
		for _, r := range tb.Rows {
			if r.Err == "" && len(r.Cells) > len(tb.Header) {
				t.Fatalf("row %d has more cells than the header", r.No)
			}
		}
	})
}
