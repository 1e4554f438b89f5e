package cases

import (
	"time"

	"cockpit/backend/pii"
)

// Deadline is a clock's due time as shown on cards and in exports; the case engine fills it.
type Deadline struct {
	Clock   string    `json:"clock"`
	DueAt   time.Time `json:"due_at"`
	State   string    `json:"state"` // running | paused | warning50 | warning80 | breached | met | unknown
	Percent int       `json:"percent"`
	Why     string    `json:"why,omitempty"`
	// Label (English) and LabelZH name the clock; Source is its legal or internal basis.
	Label   string `json:"label,omitempty"`
	LabelZH string `json:"label_zh,omitempty"`
	Source  string `json:"source,omitempty"`
}

// Summary is the case as views and exports show it: customer PII masked unless the role needs it.
type Summary struct {
	ID           int64      `json:"id"`
	Title        string     `json:"title"`
	Level        Level      `json:"level"`
	Type         string     `json:"type"`
	Subtype      string     `json:"subtype"`
	Flags        []Flag     `json:"flags"`
	Status       Status     `json:"status"`
	Owner        string     `json:"owner"`
	OwnerID      int64      `json:"owner_id"`
	Customer     string     `json:"customer"`
	CustomerMail string     `json:"customer_email"`
	OrderNo      string     `json:"order_no"`
	Channels     []string   `json:"channels"`
	MessageCount int        `json:"message_count"`
	Deadlines    []Deadline `json:"deadlines"`
	IncidentID   int64      `json:"incident_id"`
	IsRegulator  bool       `json:"is_regulator"`
	WorkOrderNo  string     `json:"work_order_no"`
	OpenedAt     time.Time  `json:"opened_at"`
	LastActivity time.Time  `json:"last_activity"`
}

// Summarize builds the view of c; unmask is true only for roles that need the customer's contact data
// (and the caller audits that).
func Summarize(c Case, unmask bool) Summary {
	name, mail := pii.Name(c.Customer.DisplayName), pii.Email(c.Customer.Email)
	if unmask {
		name, mail = c.Customer.DisplayName, c.Customer.Email
	}
	last := c.LastMessageAt
	if last.IsZero() {
		last = c.OpenedAt
	}
	return Summary{
		ID: c.ID, Title: c.Title, Level: c.Level, Type: c.Type, Subtype: c.Subtype, Flags: c.Flags,
		Status: c.Status, Owner: c.Owner, OwnerID: c.OwnerID, Customer: name, CustomerMail: mail,
		OrderNo: c.OrderNo, Channels: c.Channels, MessageCount: c.MessageCount, Deadlines: []Deadline{},
		IncidentID: c.IncidentID, IsRegulator: c.IsRegulator, WorkOrderNo: c.WorkOrderNo,
		OpenedAt: c.OpenedAt, LastActivity: last,
	}
}

// MaskTimeline hides the phone and ID numbers customers write into their messages; views and exports show
// the masked timeline, and the originals stay untouched in the blob store for the roles that open them.
func MaskTimeline(events []Event) []Event {
	out := make([]Event, len(events))
	for i, e := range events {
		e.Summary, e.BodyText, e.BodyHTML = pii.Text(e.Summary), pii.Text(e.BodyText), pii.Text(e.BodyHTML)
		e.Actor = pii.Text(e.Actor)
		out[i] = e
	}
	return out
}
