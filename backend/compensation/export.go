package compensation

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/people"
	"cockpit/backend/pii"
	"cockpit/backend/store"
)

// masked hides the customer's name and the phone and ID numbers written into free-text reasons, which
// supervisors often copy from the customer's mail. Nobody needs them to decide on an amount, so this
// holds for every role; whoever needs the contact data unmasks it on the case, which is audited.
func masked(r Request) Request {
	r.Customer = pii.Name(r.Customer)
	r.Reason = MaskText(r.Reason)
	for i := range r.Decisions {
		r.Decisions[i].Reason = MaskText(r.Decisions[i].Reason)
	}
	return r
}

// Mainland ID card numbers (18 characters, last may be X) and mobile numbers (11 digits starting 1),
// not glued to other digits.
var (
	idNumberRE = regexp.MustCompile(`(^|[^0-9])([1-9][0-9]{16}[0-9Xx])($|[^0-9])`)
	mobileRE   = regexp.MustCompile(`(^|[^0-9])(1[3-9][0-9]{9})($|[^0-9])`)
)

// MaskText masks ID card and mobile numbers inside free text.
func MaskText(s string) string {
	s = idNumberRE.ReplaceAllStringFunc(s, func(m string) string {
		g := idNumberRE.FindStringSubmatch(m)
		return g[1] + pii.IDNumber(g[2]) + g[3]
	})
	return mobileRE.ReplaceAllStringFunc(s, func(m string) string {
		g := mobileRE.FindStringSubmatch(m)
		return g[1] + pii.Phone(g[2]) + g[3]
	})
}

// ExportHeader is the finance CSV's header row.
var ExportHeader = []string{"request_id", "case_id", "order_no", "customer", "type", "amount_yuan", "status", "requested_by",
	"requested_at", "approved_by", "decided_at", "execution", "exec_ref", "executed_at", "reason"}

// ExportCSV writes approved requests decided in [from, to) (zero bounds: open) as CSV for finance, PII
// masked whatever the role, times in the service's zone. The export itself is audited.
func (s *Service) ExportCSV(ctx context.Context, by people.User, w io.Writer, from, to time.Time) (int, error) {
	if err := people.Require(by, exporters...); err != nil {
		return 0, err
	}
	list, err := s.Store.ListCompRequests(ctx, store.CompFilter{Status: []string{"approved"}})
	if err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return 0, fmt.Errorf("write export: %w", err)
	}
	n := 0
	for i := len(list) - 1; i >= 0; i-- { // oldest first: finance reconciles in time order
		r := list[i]
		if (!from.IsZero() && r.DecidedAt.Before(from)) || (!to.IsZero() && !r.DecidedAt.Before(to)) {
			continue
		}
		var approvers []string
		for _, d := range r.Decisions {
			if d.Verdict == Approve {
				approvers = append(approvers, d.Approver)
			}
		}
		row := []string{strconv.FormatInt(r.ID, 10), strconv.FormatInt(r.CaseID, 10), r.OrderNo, pii.Name(r.Customer), r.Type,
			FormatYuan(r.AmountFen), r.Status, r.Requester, s.local(r.RequestedAt), strings.Join(approvers, ";"),
			s.local(r.DecidedAt), r.Execution, r.ExecRef, s.local(r.ExecutedAt), MaskText(r.Reason)}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		if err := cw.Write(row); err != nil {
			return n, fmt.Errorf("write export: %w", err)
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("write export: %w", err)
	}
	detail := map[string]any{"rows": n, "format": "csv", "pii": "masked"}
	if !from.IsZero() {
		detail["from"] = store.FormatTime(from)
	}
	if !to.IsZero() {
		detail["to"] = store.FormatTime(to)
	}
	return n, audit.Record(ctx, s.Store, audit.Entry{Actor: by.Username, Action: "compensation.export", ObjectType: "compensation",
		At: s.Clock.Now(), Detail: detail})
}

func (s *Service) local(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	zone := s.Zone
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format("2006-01-02 15:04:05")
}

// csvSafe stops a spreadsheet from running a cell as a formula (CSV injection): finance opens these
// files in Excel, and reasons are typed by people who may paste anything.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
