package letters

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"

	"cockpit/backend/audit"
	"cockpit/backend/blobs"
	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/filings"
	"cockpit/backend/ingest"
	"cockpit/backend/store"
)

var shanghai = time.FixedZone("CST", 8*3600)

const letterText = `上海市浦东新区市场监督管理局
关于转办消费者投诉的函
工单编号：SH12315-2026-000777
贵司：现将消费者刘女士关于奶粉异味的投诉转办你单位，请于2026年12月5日前书面回复处理结果。
2026年11月24日`

// chinesePDF makes a real PDF with embedded CJK glyphs (fonts-wqy-microhei, as the filings packet uses).
func chinesePDF(t testing.TB) []byte {
	t.Helper()
	font, err := filings.LoadCJKFont(os.Getenv("COCKPIT_PDF_FONT"))
	if err != nil {
		if os.Getenv("COCKPIT_CI") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("cjk", "", font)
	pdf.AddPage()
	pdf.SetFont("cjk", "", 12)
	for _, line := range strings.Split(letterText, "\n") {
		pdf.MultiCell(0, 8, line, "", "L", false)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// scannedPDF is what a scanner produces: one page that is only a picture.
func scannedPDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 200, 280))
	for x := 20; x < 180; x++ {
		for y := 40; y < 240; y += 12 {
			img.Set(x, y, color.Gray{Y: 40})
		}
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngBuf)
	pdf.ImageOptions("scan", 10, 10, 190, 0, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func docx(t *testing.T, paragraphs ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	var body strings.Builder
	for _, p := range paragraphs {
		// Word splits runs arbitrarily; split each paragraph in two runs to check they are joined.
		half := len([]rune(p)) / 2
		body.WriteString(`<w:p><w:r><w:t>` + string([]rune(p)[:half]) + `</w:t></w:r><w:r><w:t xml:space="preserve">` + string([]rune(p)[half:]) + `</w:t></w:r></w:p>`)
	}
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

const eml = "From: =?UTF-8?B?5rWm5Lic5biC5Zy655uR566h5bGA?= <scjg@example.gov.cn>\r\n" +
	"To: legal@example.com\r\nSubject: =?UTF-8?B?5bel5Y2V6L2s5Yqe?=\r\nDate: Mon, 23 Nov 2026 09:00:00 +0800\r\n" +
	"Message-ID: <letter-1@example.gov.cn>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: 8bit\r\n\r\n工单号：SH12315-2026-000888\r\n请在收到本函之日起7个工作日内回复。\r\n"

func discard(io.Reader) (string, int64, error) { return "", 0, nil }

func TestExtract(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		status string
		want   []string // substrings of the text
		prop   Proposal
	}{
		{"函.pdf", chinesePDF(t), TextFound, []string{"关于转办消费者投诉的函", "SH12315-2026-000777"}, Proposal{WorkOrderNo: "SH12315-2026-000777",
			Office: "上海市浦东新区市场监督管理局", ReceivedOn: time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC),
			Deadline: time.Date(2026, 12, 5, 15, 59, 59, 0, time.UTC)}},
		{"扫描件.pdf", scannedPDF(t), NoText, nil, Proposal{}},
		{"letter.docx", docx(t, "北京市朝阳区消费者协会", "投诉编号：BJ-2026-4455", "回复期限：2026-12-10"), TextFound, []string{"北京市朝阳区消费者协会\n"},
			Proposal{WorkOrderNo: "BJ-2026-4455", Office: "北京市朝阳区消费者协会", Deadline: time.Date(2026, 12, 10, 15, 59, 59, 0, time.UTC)}},
		{"转办.eml", []byte(eml), TextFound, []string{"工单转办", "7个工作日内"}, Proposal{WorkOrderNo: "SH12315-2026-000888",
			ReceivedOn: time.Date(2026, 11, 22, 16, 0, 0, 0, time.UTC), DeadlineText: "在收到本函之日起7个工作日内"}},
		{"photo.JPG", []byte("\xff\xd8\xff\xe0 not really a jpeg"), NoText, nil, Proposal{}},
		{"broken.pdf", []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"), TextError, nil, Proposal{}},
		{"broken.docx", []byte("PK not a zip"), TextError, nil, Proposal{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Extract(tc.name, tc.data, discard)
			if err != nil {
				t.Fatal(err)
			}
			if x.Status != tc.status {
				t.Fatalf("status %s (%s), want %s; text %q", x.Status, x.Note, tc.status, x.Text)
			}
			for _, w := range tc.want {
				if !strings.Contains(x.Text, w) {
					t.Errorf("text %q lacks %q", x.Text, w)
				}
			}
			if x.Status == NoText && !strings.Contains(x.Note, "No text found") {
				t.Errorf("note %q", x.Note)
			}
			if x.Status != TextFound {
				return
			}
			recv := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
			if x.Mail != nil {
				recv = x.Mail.Date
			}
			got := Propose(x.Text, shanghai, recv)
			if tc.prop.DeadlineText == "" {
				got.DeadlineText = ""
			}
			if tc.prop.ReceivedOn.IsZero() {
				got.ReceivedOn = time.Time{}
			}
			if got != tc.prop {
				t.Errorf("proposal\n got %+v\nwant %+v", got, tc.prop)
			}
		})
	}
	if _, err := Extract("sheet.xlsx", nil, discard); err == nil {
		t.Error("xlsx accepted as a letter")
	}
}

func TestFolderToCase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "data"), store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := &clocks.Fixed{T: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)}
	p := &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(dir, "data", "blobs")), Clock: clock, Zone: shanghai}
	au := audit.Log{Store: st, Clock: clock}
	folder := filepath.Join(dir, "来函")
	os.MkdirAll(filepath.Join(folder, ".cache"), 0o755)
	pdfBytes, scan := chinesePDF(t), scannedPDF(t)
	os.WriteFile(filepath.Join(folder, "转办函.pdf"), pdfBytes, 0o644)
	os.WriteFile(filepath.Join(folder, "扫描件.pdf"), scan, 0o644)
	os.WriteFile(filepath.Join(folder, "~$lock.docx"), []byte("lock"), 0o644)
	os.WriteFile(filepath.Join(folder, "notes.xlsx"), []byte("not a letter"), 0o644)
	os.WriteFile(filepath.Join(folder, ".cache", "x.pdf"), pdfBytes, 0o644)

	if _, err := AddSource(ctx, st, "letters", filepath.Join(dir, "missing"), clock.Now()); err == nil {
		t.Fatal("a missing folder was accepted")
	}
	if _, err := AddSource(ctx, st, "letters", folder, clock.Now()); err != nil {
		t.Fatal(err)
	}
	conns := ingest.Connectors{"letters": Connector{}}
	res, err := conns.SyncAll(ctx, p, "letters", nil)
	if err != nil || res[0].Stats.Ingested != 2 {
		t.Fatalf("first scan: %v %+v", err, res)
	}
	// A copy under another name and a second scan add nothing.
	os.WriteFile(filepath.Join(folder, "转办函(1).pdf"), pdfBytes, 0o644)
	res, err = conns.SyncAll(ctx, p, "letters", nil)
	if err != nil || res[0].Stats.Ingested != 0 || res[0].Stats.Skipped != 3 {
		t.Fatalf("second scan: %v %+v", err, res[0].Stats)
	}
	list, _ := st.ListLetters(ctx, "proposed", 0)
	if len(list) != 2 {
		t.Fatalf("%d letters", len(list))
	}
	var letter, scanned store.Letter
	for _, l := range list {
		if l.TextStatus == NoText {
			scanned = l
		} else {
			letter = l
		}
	}
	if letter.WorkOrderNo != "SH12315-2026-000777" || letter.Office != "上海市浦东新区市场监督管理局" || scanned.Filename != "扫描件.pdf" {
		t.Fatalf("letter %+v\nscanned %+v", letter, scanned)
	}

	if _, err := File(ctx, p, au, letter.ID, Confirm{WorkOrderNo: letter.WorkOrderNo}, "legal"); err == nil {
		t.Fatal("filed without a case or new matter")
	}
	out, err := File(ctx, p, au, letter.ID, Confirm{WorkOrderNo: letter.WorkOrderNo, Office: letter.Office,
		ReceivedOn: letter.ReceivedOn, Deadline: letter.StatedDeadline, NewMatter: true}, "legal")
	if err != nil || !out.NewCase {
		t.Fatalf("file: %+v %v", out, err)
	}
	c, err := st.GetCase(ctx, out.CaseID)
	if err != nil || !c.IsRegulator || c.WorkOrderNo != "SH12315-2026-000777" || !c.StatedDeadline.Equal(letter.StatedDeadline) {
		t.Fatalf("case %+v %v", c, err)
	}
	atts, _ := st.Attachments(ctx, c.ID, 0)
	if len(atts) != 1 || atts[0].Filename != "转办函.pdf" {
		t.Fatalf("attachments %+v", atts)
	}
	if b, _ := p.Blobs.ReadAll(atts[0].SHA256); !bytes.Equal(b, pdfBytes) {
		t.Fatal("the original changed on its way to the evidence store")
	}
	// The scan joins the same matter by hand; it says no text was found.
	if _, err := File(ctx, p, au, scanned.ID, Confirm{CaseID: c.ID}, "legal"); err != nil {
		t.Fatal(err)
	}
	ev, _ := st.CaseEvents(ctx, c.ID)
	if len(ev) != 2 || !strings.Contains(ev[1].BodyText, "No text found") || ev[1].Channel != "regulator" {
		t.Fatalf("events %+v", ev)
	}
	if _, err := File(ctx, p, au, letter.ID, Confirm{NewMatter: true}, "legal"); err == nil {
		t.Fatal("a filed letter was filed again")
	}
	if list, _ := st.ListCases(ctx, cases.Filter{}); len(list) != 1 {
		t.Fatalf("%d cases", len(list))
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("a.pdf", []byte("%PDF-1.4\n%%EOF"))
	f.Add("a.docx", []byte("PK\x03\x04"))
	f.Add("a.txt", []byte("工单编号：SH-123456 请于2026年2月30日前回复"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		for _, n := range []string{"f.pdf", "f.docx", "f.txt"} {
			x, err := Extract(n, data, discard)
			if err != nil {
				t.Fatal(err)
			}
			_ = Propose(x.Text, shanghai, time.Time{})
		}
	})
}
