package letters

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"cockpit/backend/cases"
)

// Proposal is what the letter seems to say about itself; a person confirms or corrects it.
type Proposal struct {
	WorkOrderNo  string    `json:"work_order_no"`
	Office       string    `json:"office"`
	ReceivedOn   time.Time `json:"received_on,omitzero"` // start of the day in the operation's zone, as UTC
	Deadline     time.Time `json:"deadline,omitzero"`    // end of the stated day, as UTC
	DeadlineText string    `json:"deadline_text"`
}

var (
	officeSuffix = `(?:市场监督管理局|市场监管局|市场监督管理分局|市场监管分局|工商行政管理局|消费者权益保护委员会|消费者协会|消保委|12315[\p{Han}]{0,8}中心)`
	// A letterhead or signature line that is the office's name alone.
	officeLine = regexp.MustCompile(`(?m)^[ \t　]*(\p{Han}{2,24}?` + officeSuffix + `)[ \t　]*$`)
	officeAny  = regexp.MustCompile(`(\p{Han}{0,16}?` + officeSuffix + `)`)
	// Words that often run into an office name in a sentence ("现将上海市…局") and are not part of it.
	officeLead = regexp.MustCompile(`^.*(?:现将|经|由|据|向|根据|收到|转来|你单位|贵单位|贵司|我局|本局)`)

	dateRe     = `(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?`
	receivedRe = regexp.MustCompile(`(?:收到日期|来函日期|登记日期|受理日期|登记时间|受理时间|转办日期|发文日期|日期)\s*[:：]?\s*` + dateRe)
	anyDateRe  = regexp.MustCompile(dateRe)
	relativeRe = regexp.MustCompile(`(?:于|在)?\s*(?:收到|接到)?(?:本|此)?(?:函|通知|转办单)?(?:之日起|后)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*个?(工作日|日|天)\s*内`)
)

// Propose reads the proposal from a letter's text. received is used when the text states no date
// (the mail's Date header, else when the file was found).
func Propose(text string, zone *time.Location, received time.Time) Proposal {
	reg := cases.ExtractRegulator(text, zone)
	p := Proposal{WorkOrderNo: reg.WorkOrderNo, Deadline: reg.Deadline, DeadlineText: reg.DeadlineText}
	if p.DeadlineText == "" {
		// A period ("7个工作日内") is left for the deadline engine, which knows the holidays; show it.
		if m := relativeRe.FindString(text); m != "" {
			p.DeadlineText = strings.TrimSpace(m)
		}
	}
	p.Office = office(text)
	if m := receivedRe.FindStringSubmatch(text); m != nil {
		p.ReceivedOn = day(m[1], m[2], m[3], zone)
	}
	if p.ReceivedOn.IsZero() {
		// The letter's own date is usually the last date that is not the deadline.
		for _, m := range anyDateRe.FindAllStringSubmatch(text, -1) {
			if reg.DeadlineText != "" && strings.Contains(reg.DeadlineText, m[0]) {
				continue
			}
			if d := day(m[1], m[2], m[3], zone); !d.IsZero() {
				p.ReceivedOn = d
			}
		}
	}
	if p.ReceivedOn.IsZero() && !received.IsZero() {
		r := received.In(zone)
		p.ReceivedOn = time.Date(r.Year(), r.Month(), r.Day(), 0, 0, 0, 0, zone).UTC()
	}
	return p
}

func office(text string) string {
	if m := officeLine.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	m := officeAny.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return officeLead.ReplaceAllString(m[1], "")
}

func day(ys, ms, ds string, zone *time.Location) time.Time {
	y, _ := strconv.Atoi(ys)
	mo, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, zone)
	if t.Day() != d {
		return time.Time{}
	}
	return t.UTC()
}
