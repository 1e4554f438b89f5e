package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// OrderPattern recognises one platform's order numbers in mail text. The first capture group is the number.
type OrderPattern struct {
	Platform string `json:"platform"` // jd | taobao | tmall | pdd | generic | anything an admin names
	Regexp   string `json:"regexp"`
	re       *regexp.Regexp
}

// DefaultOrderPatterns are tried in order; platform-specific ones first so that a bare "订单号" does not
// claim a number a platform pattern would have labelled. JD and Taobao numbers are plain digits, so they
// need the platform's name nearby; Pinduoduo's "YYMMDD-<15 digits>" shape is distinctive on its own.
var DefaultOrderPatterns = []OrderPattern{
	{Platform: "pdd", Regexp: `\b(\d{6}-\d{15})\b`},
	{Platform: "jd", Regexp: `(?i)(?:京东|JD)[^0-9\n]{0,12}?(\d{10,13})\b`},
	{Platform: "tmall", Regexp: `(?i)(?:天猫|tmall)[^0-9\n]{0,12}?(\d{15,20})\b`},
	{Platform: "taobao", Regexp: `(?i)(?:淘宝|taobao)[^0-9\n]{0,12}?(\d{15,20})\b`},
	{Platform: "generic", Regexp: `(?i)(?:订单号|订单编号|订单|order\s*(?:no\.?|number|id|#))\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{5,31})\b`},
}

// OrderMatcher finds order numbers with a configured pattern list.
type OrderMatcher struct{ patterns []OrderPattern }

// NewOrderMatcher compiles patterns; nil means DefaultOrderPatterns. A pattern without a capture group or
// that does not compile is rejected with its platform named, so a bad admin setting is caught on save.
func NewOrderMatcher(patterns []OrderPattern) (*OrderMatcher, error) {
	if patterns == nil {
		patterns = DefaultOrderPatterns
	}
	m := &OrderMatcher{}
	for _, p := range patterns {
		re, err := regexp.Compile(p.Regexp)
		if err != nil {
			return nil, fmt.Errorf("order pattern %q: %w", p.Platform, err)
		}
		if re.NumSubexp() < 1 {
			return nil, fmt.Errorf("order pattern %q: needs a capture group for the number", p.Platform)
		}
		p.re = re
		m.patterns = append(m.patterns, p)
	}
	return m, nil
}

// ParseOrderPatterns reads the JSON list stored in settings; empty means the defaults.
func ParseOrderPatterns(js string) (*OrderMatcher, error) {
	if strings.TrimSpace(js) == "" {
		return NewOrderMatcher(nil)
	}
	var ps []OrderPattern
	if err := json.Unmarshal([]byte(js), &ps); err != nil {
		return nil, fmt.Errorf("order patterns: %w", err)
	}
	return NewOrderMatcher(ps)
}

// OrderRef is an order number found in a message and the pattern that found it.
type OrderRef struct {
	No       string `json:"no"`
	Platform string `json:"platform"`
}

// Find returns the distinct order numbers in text, first occurrence first.
func (m *OrderMatcher) Find(text string) []OrderRef {
	var out []OrderRef
	seen := map[string]bool{}
	windows := digitWindows(text)
	for _, p := range m.patterns {
		for _, sub := range findInWindows(p.re, text, windows) {
			no := sub[1]
			// The generic pattern also catches words such as "order number: pending"; a real number has digits.
			if seen[no] || !strings.ContainsAny(no, "0123456789") {
				continue
			}
			seen[no] = true
			out = append(out, OrderRef{No: no, Platform: p.Platform})
		}
	}
	return out
}

// An order number always holds a run of digits, and long mails hold few such runs, so the patterns run
// only on a window around each run: on a 3 KB complaint this took matching from a fifth of the ingest
// time to almost nothing. A window reaches windowBefore bytes back (platform name, "订单号：" and the like)
// and windowAfter forward, which covers every default pattern; a custom pattern whose match is longer is
// still found when the whole text is short (below wholeText).
const (
	minDigitRun  = 5
	windowBefore = 96
	windowAfter  = 64
	wholeText    = 512
)

type span struct{ start, end int }

func digitWindows(text string) []span {
	if len(text) <= wholeText {
		return []span{{0, len(text)}}
	}
	var out []span
	for i := 0; i < len(text); {
		if text[i] < '0' || text[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(text) && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		if j-i >= minDigitRun {
			w := span{max(0, i-windowBefore), min(len(text), j+windowAfter)}
			for w.start > 0 && !utf8.RuneStart(text[w.start]) {
				w.start--
			}
			for w.end < len(text) && !utf8.RuneStart(text[w.end]) {
				w.end++
			}
			if n := len(out); n > 0 && w.start <= out[n-1].end {
				out[n-1].end = w.end
			} else {
				out = append(out, w)
			}
		}
		i = j
	}
	return out
}

func findInWindows(re *regexp.Regexp, text string, windows []span) [][]string {
	var out [][]string
	for _, w := range windows {
		out = append(out, re.FindAllStringSubmatch(text[w.start:w.end], 20)...)
	}
	return out
}

// Lookup answers the linker's questions; the store implements it inside the ingest transaction.
type Lookup interface {
	// CaseByMessageIDs returns the case that already holds one of ids (0 if none) and which id matched.
	CaseByMessageIDs(ctx context.Context, ids []string) (caseID int64, matched string, err error)
	CaseByWorkOrder(ctx context.Context, workOrderNo string) (int64, error)
	CaseByOrderNo(ctx context.Context, orderNo string) (int64, error)
	// OpenCaseByCustomerEmail returns the most recent case of that sender that is not resolved or closed.
	OpenCaseByCustomerEmail(ctx context.Context, email string) (int64, error)
}

// LinkInput is what the linker knows about an incoming item.
type LinkInput struct {
	InReplyTo   []string
	References  []string
	WorkOrderNo string
	Orders      []OrderRef
	FromEmail   string
}

// LinkDecision says which case an item joins (0: a new one) and why, in words shown on the timeline.
type LinkDecision struct {
	CaseID int64
	Rule   string // thread | work_order | order | customer | new
	Reason string
}

// Link decides where an item belongs: the mail thread first (the customer replied to us), then a
// regulator work-order number, then an order number, then an open case of the same sender.
func Link(ctx context.Context, l Lookup, in LinkInput) (LinkDecision, error) {
	// In-Reply-To names the direct parent; References are oldest first, so try the newest first.
	ids := append([]string{}, in.InReplyTo...)
	for i := len(in.References) - 1; i >= 0; i-- {
		ids = append(ids, in.References[i])
	}
	if len(ids) > 0 {
		id, matched, err := l.CaseByMessageIDs(ctx, ids)
		if err != nil {
			return LinkDecision{}, fmt.Errorf("link by thread: %w", err)
		}
		if id != 0 {
			return LinkDecision{CaseID: id, Rule: "thread", Reason: fmt.Sprintf("reply in the mail thread of <%s>", matched)}, nil
		}
	}
	if in.WorkOrderNo != "" {
		id, err := l.CaseByWorkOrder(ctx, in.WorkOrderNo)
		if err != nil {
			return LinkDecision{}, fmt.Errorf("link by work order: %w", err)
		}
		if id != 0 {
			return LinkDecision{CaseID: id, Rule: "work_order", Reason: "same 12315 work-order number " + in.WorkOrderNo}, nil
		}
	}
	for _, o := range in.Orders {
		id, err := l.CaseByOrderNo(ctx, o.No)
		if err != nil {
			return LinkDecision{}, fmt.Errorf("link by order: %w", err)
		}
		if id != 0 {
			return LinkDecision{CaseID: id, Rule: "order", Reason: fmt.Sprintf("same order number %s (%s)", o.No, o.Platform)}, nil
		}
	}
	if in.FromEmail != "" {
		id, err := l.OpenCaseByCustomerEmail(ctx, in.FromEmail)
		if err != nil {
			return LinkDecision{}, fmt.Errorf("link by customer: %w", err)
		}
		if id != 0 {
			// The address itself is PII and stays out of the reason text.
			return LinkDecision{CaseID: id, Rule: "customer", Reason: "same customer address as an open case"}, nil
		}
	}
	reason := "new case: no thread, work order, order number or open case of this sender matched"
	return LinkDecision{Rule: "new", Reason: reason}, nil
}
