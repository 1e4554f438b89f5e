package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Fields a column can be mapped to.
const (
	FieldID          = "id"            // the export's own ticket id: the de-duplication key when present
	FieldWorkOrderNo = "work_order_no" // 12315 工单编号
	FieldSubject     = "subject"
	FieldBody        = "body"
	FieldFacts       = "facts" // 12315 事实与理由, appended to the body
	FieldName        = "customer_name"
	FieldEmail       = "customer_email"
	FieldPhone       = "customer_phone"
	FieldRespondent  = "respondent" // 12315 被投诉方
	FieldOrderNo     = "order_no"
	FieldCreated     = "created_at" // received date
	FieldDeadline    = "deadline"
	FieldStatus      = "status"
	FieldPriority    = "priority"
)

// Fields lists every mappable field in the order the mapping step shows them.
var Fields = []string{FieldID, FieldWorkOrderNo, FieldSubject, FieldBody, FieldFacts, FieldName, FieldEmail, FieldPhone,
	FieldRespondent, FieldOrderNo, FieldCreated, FieldDeadline, FieldStatus, FieldPriority}

// Preset is a known export layout: for each field, the column names it goes by (matched ignoring case,
// spaces and punctuation), and which fields a row must have.
type Preset struct {
	Name      string              `json:"name"`
	Label     string              `json:"label"`
	Regulator bool                `json:"regulator"` // rows are regulator matters (12315 work orders)
	Columns   map[string][]string `json:"columns"`
	Required  []string            `json:"required"` // each entry may be "a|b": one of them
}

// Presets are the built-in layouts.
var Presets = []Preset{
	{Name: "zendesk", Label: "Zendesk 工单导出 / Zendesk ticket export", Columns: map[string][]string{
		FieldID: {"Id", "Ticket ID"}, FieldSubject: {"Subject"}, FieldBody: {"Description", "description_text"},
		FieldName: {"Requester", "requester.name", "Requester name"}, FieldEmail: {"Requester email", "requester.email"},
		FieldCreated: {"Created at"}, FieldDeadline: {"Due date", "due_at"}, FieldStatus: {"Status"}, FieldPriority: {"Priority"},
		FieldOrderNo: {"Order number", "Order ID"}},
		Required: []string{FieldID, FieldSubject + "|" + FieldBody}},
	{Name: "freshdesk", Label: "Freshdesk 工单导出 / Freshdesk ticket export", Columns: map[string][]string{
		FieldID: {"Ticket ID", "id"}, FieldSubject: {"Subject"}, FieldBody: {"Description", "description_text"},
		FieldName: {"Full name", "Requester name", "requester.name", "Contact"}, FieldEmail: {"Email", "Requester email", "requester.email"},
		FieldPhone: {"Phone", "Work phone", "Mobile phone"}, FieldCreated: {"Created time", "created_at"},
		FieldDeadline: {"Due by Time", "due_by"}, FieldStatus: {"Status"}, FieldPriority: {"Priority"}, FieldOrderNo: {"Order ID", "Order number"}},
		Required: []string{FieldID, FieldSubject + "|" + FieldBody}},
	{Name: "generic", Label: "通用表格 / Generic sheet", Columns: map[string][]string{
		FieldID: {"编号", "ID", "单号"}, FieldSubject: {"标题", "主题", "Subject", "Title"},
		FieldBody: {"内容", "投诉内容", "问题描述", "描述", "Body", "Description", "Text"},
		FieldName: {"客户", "客户姓名", "姓名", "Name", "Customer"}, FieldEmail: {"邮箱", "电子邮件", "Email", "E-mail"},
		FieldPhone: {"电话", "手机", "联系电话", "Phone"}, FieldOrderNo: {"订单号", "订单编号", "Order", "Order No", "Order number"},
		FieldCreated: {"日期", "时间", "创建时间", "投诉时间", "Date", "Created"}, FieldDeadline: {"截止日期", "期限", "Deadline", "Due"},
		FieldStatus: {"状态", "Status"}, FieldPriority: {"优先级", "Priority"}},
		Required: []string{FieldSubject + "|" + FieldBody}},
	{Name: "12315", Label: "12315 平台工单 / 12315 work-order sheet", Regulator: true, Columns: map[string][]string{
		FieldWorkOrderNo: {"工单编号", "工单号", "投诉编号", "登记编号"}, FieldName: {"投诉人", "诉求人", "投诉人姓名", "消费者"},
		FieldPhone: {"联系电话", "投诉人电话", "电话"}, FieldRespondent: {"被投诉人", "被投诉方", "被投诉单位", "被诉方"},
		FieldSubject: {"标题", "诉求标题"}, FieldBody: {"诉求", "诉求内容", "投诉请求", "请求"},
		FieldFacts: {"事实与理由", "投诉事实", "事实", "问题描述"}, FieldCreated: {"登记日期", "受理日期", "收到日期", "接收时间", "登记时间"},
		FieldDeadline: {"办结期限", "处理期限", "截止日期", "办理时限", "反馈期限"}, FieldOrderNo: {"订单号", "订单编号"},
		FieldStatus: {"状态", "办理状态"}},
		Required: []string{FieldWorkOrderNo, FieldBody + "|" + FieldFacts}},
}

// PresetByName finds a preset.
func PresetByName(name string) (Preset, error) {
	for _, p := range Presets {
		if p.Name == name {
			return p, nil
		}
	}
	var names []string
	for _, p := range Presets {
		names = append(names, p.Name)
	}
	return Preset{}, fmt.Errorf("unknown preset %q (one of: %s)", name, strings.Join(names, ", "))
}

// Mapping is field -> column header.
type Mapping map[string]string

var punct = regexp.MustCompile(`[\s_\-.:：()（）/]+`)

func normHeader(s string) string {
	return strings.ToLower(punct.ReplaceAllString(strings.TrimSpace(s), ""))
}

// AutoMap maps every field of the preset whose column is in the header.
func (p Preset) AutoMap(header []string) Mapping {
	idx := map[string]string{}
	for _, h := range header {
		if _, ok := idx[normHeader(h)]; !ok {
			idx[normHeader(h)] = h
		}
	}
	m := Mapping{}
	for field, names := range p.Columns {
		for _, n := range names {
			if h, ok := idx[normHeader(n)]; ok {
				m[field] = h
				break
			}
		}
	}
	return m
}

// Guess picks the preset whose columns match the header best (ties: the earlier preset).
func Guess(header []string) Preset {
	best, score := Presets[2], 0 // generic
	for _, p := range Presets {
		m := p.AutoMap(header)
		ok := true
		for _, req := range p.Required {
			if !hasAny(m, req) {
				ok = false
			}
		}
		if ok && len(m) > score {
			best, score = p, len(m)
		}
	}
	return best
}

func hasAny(m Mapping, req string) bool {
	for _, f := range strings.Split(req, "|") {
		if m[f] != "" {
			return true
		}
	}
	return false
}

// CheckMapping reports a mapping that names unknown fields or columns, or misses required fields.
func (p Preset) CheckMapping(m Mapping, header []string) error {
	cols := map[string]bool{}
	for _, h := range header {
		cols[h] = true
	}
	known := map[string]bool{}
	for _, f := range Fields {
		known[f] = true
	}
	for f, c := range m {
		if !known[f] {
			return fmt.Errorf("unknown field %q", f)
		}
		if c != "" && !cols[c] {
			return fmt.Errorf("field %s: the file has no column %q", f, c)
		}
	}
	for _, req := range p.Required {
		if !hasAny(m, req) {
			return fmt.Errorf("map a column to %s", strings.ReplaceAll(req, "|", " or "))
		}
	}
	return nil
}

// Parsed is a row read through a mapping.
type Parsed struct {
	No       int               `json:"row"`
	Key      string            `json:"key"` // de-duplication key within the preset
	Fields   map[string]string `json:"fields"`
	Created  time.Time         `json:"created_at,omitzero"`
	Deadline time.Time         `json:"deadline,omitzero"`
	Error    string            `json:"error,omitempty"`
	cells    map[string]string // header -> cell, kept as the raw item
}

// ParseRow applies the mapping to one row and validates it; the reason names the column at fault.
func (p Preset) ParseRow(header []string, m Mapping, r Row, zone *time.Location) Parsed {
	out := Parsed{No: r.No, Fields: map[string]string{}, cells: map[string]string{}}
	if r.Err != "" {
		out.Error = r.Err
		return out
	}
	col := map[string]int{}
	for i, h := range header {
		if _, ok := col[h]; !ok {
			col[h] = i
		}
	}
	if len(r.Cells) > len(header) {
		for _, c := range r.Cells[len(header):] {
			if strings.TrimSpace(c) != "" {
				out.Error = fmt.Sprintf("%d cells but the header has %d columns (a stray delimiter?)", len(r.Cells), len(header))
				return out
			}
		}
	}
	for i, h := range header {
		if i < len(r.Cells) {
			out.cells[h] = r.Cells[i]
		}
	}
	for f, c := range m {
		if i, ok := col[c]; ok && i < len(r.Cells) {
			if v := strings.TrimSpace(r.Cells[i]); v != "" {
				out.Fields[f] = v
			}
		}
	}
	for _, req := range p.Required {
		if !hasAny(Mapping(out.Fields), req) {
			names := []string{}
			for _, f := range strings.Split(req, "|") {
				names = append(names, fmt.Sprintf("%s (%s)", f, m[f]))
			}
			out.Error = "empty " + strings.Join(names, " and ")
			return out
		}
	}
	if e := out.Fields[FieldEmail]; e != "" {
		if a, err := mail.ParseAddress(e); err != nil {
			out.Error = fmt.Sprintf("customer_email (%s): %q is not an e-mail address", m[FieldEmail], e)
			return out
		} else {
			out.Fields[FieldEmail] = strings.ToLower(a.Address)
		}
	}
	var err error
	if v := out.Fields[FieldCreated]; v != "" {
		if out.Created, err = ParseDate(v, zone, false); err != nil {
			out.Error = fmt.Sprintf("created_at (%s): %v", m[FieldCreated], err)
			return out
		}
	}
	if v := out.Fields[FieldDeadline]; v != "" {
		if out.Deadline, err = ParseDate(v, zone, true); err != nil {
			out.Error = fmt.Sprintf("deadline (%s): %v", m[FieldDeadline], err)
			return out
		}
	}
	out.Key = out.Fields[FieldID]
	if p.Regulator || out.Key == "" {
		out.Key = out.Fields[FieldWorkOrderNo]
	}
	if out.Key == "" {
		out.Key = "sha256:" + contentKey(out.Fields)
	}
	return out
}

// contentKey identifies a row without an id column by its mapped content, so the same row re-imported
// from another copy of the file is recognised.
func contentKey(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, strings.Join(strings.Fields(fields[k]), " "))
	}
	return hex.EncodeToString(h.Sum(nil))
}

var dateLayouts = []string{
	time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02",
	"2006/01/02 15:04:05", "2006/01/02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006/01/02", "2006/1/2",
	"2006.01.02", "2006.1.2", "2006年1月2日 15:04", "2006年1月2日15:04", "2006年1月2日", "2006-1-2", "2006-01-02 15:04:05 -0700",
	"01/02/2006 15:04", "01/02/2006",
}

// ParseDate reads the dates exports carry, in zone unless they say otherwise. A date without a time is
// the start of that day, or its end (23:59:59) for a deadline ("by 30 Nov" means until the day is over).
// Excel serial numbers (45000.5) are read too.
func ParseDate(s string, zone *time.Location, endOfDay bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		t, err := time.ParseInLocation(l, s, zone)
		if err != nil {
			continue
		}
		if endOfDay && !strings.Contains(l, "15:04") {
			t = t.AddDate(0, 0, 1).Add(-time.Second)
		}
		if t.Year() < 1990 || t.Year() > 2100 {
			return time.Time{}, fmt.Errorf("%q is out of range", s)
		}
		return t.UTC(), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
		// Excel's day 1 is 1900-01-01 with the 1900 leap-year bug: serial 60 is a day that never was.
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, zone)
		t := base.Add(time.Duration(f * 24 * float64(time.Hour))).Round(time.Second)
		if endOfDay && f == float64(int64(f)) {
			t = t.AddDate(0, 0, 1).Add(-time.Second)
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (use YYYY-MM-DD [HH:MM])", s)
}
