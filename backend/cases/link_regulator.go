package cases

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RegulatorInfo is what a regulator letter states about itself.
type RegulatorInfo struct {
	WorkOrderNo string
	// Deadline is the end of the stated reply day in the operation's zone, in UTC; zero when none is stated.
	Deadline     time.Time
	DeadlineText string
}

var (
	workOrderRe = regexp.MustCompile(`(?i)(?:工单号|工单编号|工单|投诉编号|举报编号|登记编号|受理编号|work[\s-]*order\s*(?:no\.?|number|#)?)\s*[:：#]?\s*([A-Za-z0-9][A-Za-z0-9-]{5,39})`)
	// A date the letter asks us to answer by: "请于2026年11月30日前", "回复期限：2026-11-30", "reply by 2026-11-30".
	deadlineRes = []*regexp.Regexp{
		regexp.MustCompile(`(?:请于|须于|应于|务必于|于)\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?\s*(?:前|之前|以前|内)`),
		regexp.MustCompile(`(?:回复|答复|反馈|办理|处理)\s*(?:期限|时限|截止日期|截止时间|截止)\s*[:：为]?\s*(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})`),
		regexp.MustCompile(`(?i)(?:reply|respond|answer)\s+(?:no later than|by|before)\s+(\d{4})-(\d{1,2})-(\d{1,2})`),
	}
)

// ExtractRegulator finds the 12315 work-order number and a stated reply date in a regulator letter.
// Relative periods ("7个工作日内") are left to the deadline engine, which knows the holiday calendar.
func ExtractRegulator(text string, zone *time.Location) RegulatorInfo {
	var info RegulatorInfo
	for _, m := range workOrderRe.FindAllStringSubmatch(text, 5) {
		if strings.ContainsAny(m[1], "0123456789") {
			info.WorkOrderNo = m[1]
			break
		}
	}
	for _, re := range deadlineRes {
		m := re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 {
			continue
		}
		day := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, zone)
		if day.Day() != d { // 2月30日 and the like: not a real date
			continue
		}
		// "请于某日前" means by the end of that day (24:00 local, WD-02 in the regulatory notes).
		info.Deadline = day.AddDate(0, 0, 1).Add(-time.Second).UTC()
		info.DeadlineText = strings.TrimSpace(m[0])
		break
	}
	return info
}
