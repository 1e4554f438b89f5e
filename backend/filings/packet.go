package filings

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"cockpit/backend/cases"
	"cockpit/backend/evidence"
)

// Packet is everything the filing packet PDF shows.
type Packet struct {
	Case        cases.Summary
	Timeline    []cases.Event
	CaseClocks  []cases.Deadline // the case engine's SLA and statutory clocks, when wired
	ClockNames  map[string]string
	Filings     CaseFilings
	Evidence    []evidence.Item
	GeneratedAt time.Time
	GeneratedBy string
	Zone        *time.Location
}

var matterLabels = map[Status]string{StatusDraft: "草稿", StatusReady: "待报送", StatusSubmitted: "已报送", StatusReplied: "监管已回复", StatusClosed: "已结案"}

var stateLabels = map[string]string{StateMissing: "缺失", StateCovered: "已由同组材料满足", StateOpen: "可选，未提供",
	StateLinked: "已关联，待签核", StateSigned: "已签核"}

var deadlineLabels = map[string]string{"open": "进行中", "overdue": "已超期", "done": "已报送", "unknown": "无法计算"}

// pdfDoc wraps fpdf with the packet's layout helpers.
type pdfDoc struct {
	*fpdf.Fpdf
	zone *time.Location
}

const (
	pageW  = 210.0
	margin = 15.0
	bodyW  = pageW - 2*margin
)

func (d *pdfDoc) when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(d.zone).Format("2006-01-02 15:04")
}

func (d *pdfDoc) heading(s string) {
	if d.GetY() > 250 {
		d.AddPage()
	}
	d.Ln(3)
	d.SetFont("cjk", "", 13)
	d.SetFillColor(232, 238, 247)
	d.CellFormat(bodyW, 8, s, "", 1, "L", true, 0, "")
	d.Ln(1)
	d.SetFont("cjk", "", 9)
}

// row draws a table row whose cells wrap; the row breaks to a new page as a whole.
func (d *pdfDoc) row(widths []float64, cells []string, fill bool) {
	const lineH = 4.6
	lines := make([][]string, len(cells))
	maxLines := 1
	for i, c := range cells {
		lines[i] = d.SplitText(c, widths[i]-2)
		if len(lines[i]) == 0 {
			lines[i] = []string{""}
		}
		maxLines = max(maxLines, len(lines[i]))
	}
	h := float64(maxLines)*lineH + 1.5
	if d.GetY()+h > 297-margin-8 {
		d.AddPage()
	}
	x, y := d.GetX(), d.GetY()
	if fill {
		d.SetFillColor(245, 245, 245)
		d.Rect(x, y, sum(widths), h, "F")
	}
	for i := range cells {
		d.Rect(x, y, widths[i], h, "D")
		for j, ln := range lines[i] {
			d.SetXY(x+1, y+0.8+float64(j)*lineH)
			d.CellFormat(widths[i]-2, lineH, ln, "", 0, "L", false, 0, "")
		}
		x += widths[i]
	}
	d.SetXY(margin, y+h)
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

func (d *pdfDoc) pair(label, value string) {
	d.row([]float64{40, bodyW - 40}, []string{label, value}, false)
}

// WritePDF renders the packet in Chinese with the CJK font embedded (subset) so that any reader, and
// pdftotext, shows the same text.
func WritePDF(w io.Writer, p Packet, font []byte) error {
	if p.Zone == nil {
		p.Zone = time.UTC
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin+5)
	f.AddUTF8FontFromBytes("cjk", "", font)
	if err := f.Error(); err != nil {
		return fmt.Errorf("packet font: %w", err)
	}
	f.SetTitle("监管报送材料 "+p.Case.Title, true)
	f.SetCreator("Cockpit", true)
	f.SetCreationDate(p.GeneratedAt)
	f.SetModificationDate(p.GeneratedAt)
	f.AliasNbPages("{nb}")
	d := &pdfDoc{Fpdf: f, zone: p.Zone}
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont("cjk", "", 8)
		f.SetTextColor(110, 110, 110)
		f.CellFormat(bodyW/2, 5, fmt.Sprintf("案件 #%d · 生成于 %s", p.Case.ID, d.when(p.GeneratedAt)), "", 0, "L", false, 0, "")
		f.CellFormat(bodyW/2, 5, fmt.Sprintf("第 %d 页 / 共 {nb} 页", f.PageNo()), "", 0, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})

	cover(d, p)
	d.AddPage()
	summary(d, p)
	timeline(d, p)
	clockTable(d, p)
	checklists(d, p)
	evidenceIndex(d, p)
	if err := f.Output(w); err != nil {
		return fmt.Errorf("write packet PDF: %w", err)
	}
	return nil
}

func cover(d *pdfDoc, p Packet) {
	d.AddPage()
	d.SetY(50)
	d.SetFont("cjk", "", 24)
	d.CellFormat(bodyW, 14, "监管报送材料", "", 1, "C", false, 0, "")
	d.SetFont("cjk", "", 11)
	d.SetTextColor(90, 90, 90)
	d.CellFormat(bodyW, 7, "Regulator filing packet", "", 1, "C", false, 0, "")
	d.SetTextColor(0, 0, 0)
	d.Ln(12)
	d.SetFont("cjk", "", 16)
	d.MultiCell(bodyW, 9, p.Case.Title, "", "C", false)
	d.Ln(10)
	d.SetFont("cjk", "", 10)
	d.pair("案件编号", "#"+strconv.FormatInt(p.Case.ID, 10))
	if p.Case.WorkOrderNo != "" {
		d.pair("12315 工单号", p.Case.WorkOrderNo)
	}
	d.pair("订单号", orDash(p.Case.OrderNo))
	for _, m := range p.Filings.Matters {
		d.pair("监管事项 #"+strconv.FormatInt(m.ID, 10), fmt.Sprintf("%s｜%s｜收到 %s｜%s｜适用：%s",
			m.Title, orDash(m.Regulator), d.when(m.ReceivedAt), matterLabels[m.Status], m.Rule.ZH))
	}
	d.pair("证据数量", fmt.Sprintf("%d 件（SHA-256 见证据索引）", len(p.Evidence)))
	d.pair("生成人", p.GeneratedBy)
	d.pair("生成时间", d.when(p.GeneratedAt)+" ("+p.Zone.String()+")")
	d.Ln(8)
	d.SetFont("cjk", "", 8.5)
	d.SetTextColor(90, 90, 90)
	d.MultiCell(bodyW, 4.5, "依据《电子商务法》第六十二条，经营者提供原始合同和交易记录。本材料所附证据原件以 SHA-256 值标识，"+
		"随附的 ZIP 文件含原件及 manifest.json，可逐一复核。", "", "L", false)
	d.SetTextColor(0, 0, 0)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func summary(d *pdfDoc, p Packet) {
	c := p.Case
	d.heading("一、案件概要 Case summary")
	d.pair("标题", c.Title)
	d.pair("类型", strings.Trim(c.Type+" / "+c.Subtype, " /"))
	level := "未分级"
	if c.Level > 0 {
		level = fmt.Sprintf("%d 级", c.Level)
	}
	d.pair("级别 / 状态", level+" / "+string(c.Status))
	d.pair("负责人", orDash(c.Owner))
	d.pair("客户", strings.TrimSpace(orDash(c.Customer)+" "+c.CustomerMail))
	d.pair("订单号", orDash(c.OrderNo))
	d.pair("立案时间", d.when(c.OpenedAt))
	d.pair("最近动态", d.when(c.LastActivity))
	var flags []string
	for _, f := range c.Flags {
		flags = append(flags, f.Name)
	}
	d.pair("风险标记", orDash(strings.Join(flags, "、")))
}

func timeline(d *pdfDoc, p Packet) {
	d.heading("二、处理时间线 Timeline")
	widths := []float64{30, 28, bodyW - 58}
	d.row(widths, []string{"时间", "类别", "摘要"}, true)
	if len(p.Timeline) == 0 {
		d.row(widths, []string{"—", "—", "无记录"}, false)
	}
	for _, e := range p.Timeline {
		kind := e.Kind
		if e.Channel != "" {
			kind += " / " + e.Channel
		}
		text := e.Summary
		if e.Actor != "" {
			text = e.Actor + "：" + text
		}
		d.row(widths, []string{d.when(e.OccurredAt), kind, text}, false)
	}
}

func clockTable(d *pdfDoc, p Packet) {
	d.heading("三、时限 Clocks and statutory deadlines")
	widths := []float64{62, 26, 32, 24, bodyW - 144}
	d.row(widths, []string{"时限", "期间", "截止", "状态", "依据（可信度）"}, true)
	n := 0
	for _, c := range p.CaseClocks {
		name := c.Clock
		if zh := p.ClockNames[c.Clock]; zh != "" {
			name = zh
		}
		d.row(widths, []string{name, "—", d.when(c.DueAt), c.State, orDash(c.Why)}, false)
		n++
	}
	for _, m := range p.Filings.Matters {
		for _, dl := range m.Deadlines {
			// "24:00 of the last day" is how the rule reads (WD-02); 00:00 of the next day would confuse.
			due := dl.DueDate + " 24:00"
			if dl.State == "unknown" {
				due = dl.Error
			}
			period := strings.Replace(strings.Replace(dl.Period, "working_days", "个工作日", 1), "days", "日", 1)
			d.row(widths, []string{fmt.Sprintf("#%d %s", m.ID, dl.ZH), period, due, deadlineLabels[dl.State],
				fmt.Sprintf("%s（%s）", dl.Source, dl.Confidence)}, false)
			n++
		}
	}
	if n == 0 {
		d.row(widths, []string{"无", "—", "—", "—", "—"}, false)
	}
	d.SetFont("cjk", "", 8)
	d.MultiCell(bodyW, 4.2, "工作日按国务院办公厅节假日安排计算，起算日不计入（开始的当日不计入），截止为当日24:00。"+
		"可信度 U 表示121号令原文待核实。", "", "L", false)
	d.SetFont("cjk", "", 9)
}

func checklists(d *pdfDoc, p Packet) {
	d.heading("四、材料清单与签核 Checklist and sign-offs")
	evName := map[int64]string{}
	for _, it := range p.Evidence {
		evName[it.ID] = fmt.Sprintf("E%d", it.ID)
	}
	table := func(title string, items []Item, states map[int64]string) {
		d.SetFont("cjk", "", 10)
		d.CellFormat(bodyW, 7, title, "", 1, "L", false, 0, "")
		d.SetFont("cjk", "", 9)
		widths := []float64{68, 30, 28, bodyW - 126}
		d.row(widths, []string{"材料", "状态", "证据", "签核"}, true)
		if len(items) == 0 {
			d.row(widths, []string{"无", "—", "—", "—"}, false)
		}
		for _, it := range items {
			label := it.ZH
			if it.Optional {
				label += "（可选）"
			}
			var evs []string
			for _, id := range it.EvidenceIDs {
				evs = append(evs, evName[id])
			}
			sign := "—"
			if it.SignedBy != "" {
				sign = it.SignedBy + " " + d.when(it.SignedAt)
				if it.Note != "" {
					sign += "\n" + it.Note
				}
			}
			d.row(widths, []string{label, stateLabels[states[it.ID]], orDash(strings.Join(evs, ", ")), sign}, false)
		}
		d.Ln(2)
	}
	table("举证要求（按投诉场景）", p.Filings.Checklist, p.Filings.States)
	for _, m := range p.Filings.Matters {
		title := fmt.Sprintf("监管事项 #%d %s（%s，负责人 %s）", m.ID, m.Title, matterLabels[m.Status], m.Owner)
		table(title, m.Items, m.States)
		var dates []string
		for _, x := range []struct {
			l string
			t time.Time
		}{{"待报送", m.ReadyAt}, {"已报送", m.SubmittedAt}, {"监管回复", m.RepliedAt}, {"结案", m.ClosedAt}} {
			if !x.t.IsZero() {
				dates = append(dates, x.l+" "+d.when(x.t))
			}
		}
		if len(dates) > 0 {
			d.SetFont("cjk", "", 8)
			d.MultiCell(bodyW, 4.2, "状态日期："+strings.Join(dates, "；"), "", "L", false)
			d.SetFont("cjk", "", 9)
		}
	}
}

func evidenceIndex(d *pdfDoc, p Packet) {
	d.heading("五、证据索引 Evidence index (SHA-256)")
	widths := []float64{18, 62, 32, 18, bodyW - 130}
	for i, it := range p.Evidence {
		// Each item is two rows kept together: the facts, then its full hash on one unbroken line.
		if d.GetY() > 297-margin-30 {
			d.AddPage()
		}
		source := it.Source
		if it.DerivedFrom != 0 {
			source = fmt.Sprintf("E%d 的脱敏副本", it.DerivedFrom)
		}
		d.row(widths, []string{fmt.Sprintf("E%d", it.ID), it.Filename + "\nZIP: " + evidence.ZipPath(it), it.ContentType, humanSize(it.Size),
			fmt.Sprintf("%s\n%s %s", source, it.CapturedBy, d.when(it.CapturedAt))}, i%2 == 0)
		d.SetFont("cjk", "", 8.5)
		d.row([]float64{18, bodyW - 18}, []string{"SHA-256", it.SHA256}, i%2 == 0)
		d.SetFont("cjk", "", 9)
	}
	if len(p.Evidence) == 0 {
		d.row([]float64{bodyW}, []string{"无证据"}, false)
	}
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
