// Package cases owns the case: what a supervisor owns, its timeline and how items join it.
package cases

import "time"

// Status of a case.
type Status string

const (
	StatusOpen     Status = "open"
	StatusPending  Status = "pending"
	StatusResolved Status = "resolved"
	StatusClosed   Status = "closed"
)

// Level 1 is the most severe; 0 means not yet classified.
type Level int

// Case is one complaint as a supervisor owns it.
type Case struct {
	ID             int64     `json:"id"`
	Title          string    `json:"title"`
	Type           string    `json:"type"`
	Subtype        string    `json:"subtype"`
	Level          Level     `json:"level"`
	Status         Status    `json:"status"`
	OwnerID        int64     `json:"owner_id,omitempty"`
	Owner          string    `json:"owner"`
	CustomerID     int64     `json:"customer_id,omitempty"`
	Customer       Customer  `json:"customer"`
	OrderNo        string    `json:"order_no"`
	IncidentID     int64     `json:"incident_id,omitempty"`
	IsRegulator    bool      `json:"is_regulator"`
	WorkOrderNo    string    `json:"work_order_no,omitempty"`
	StatedDeadline time.Time `json:"stated_deadline,omitempty"`
	OpenedAt       time.Time `json:"opened_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	LastMessageAt  time.Time `json:"last_message_at,omitempty"`
	MessageCount   int       `json:"message_count"`
	Channels       []string  `json:"channels"`
	Flags          []Flag    `json:"flags"`
}

// Flag is a risk flag with the words or amounts that raised it.
type Flag struct {
	Name     string `json:"name"`
	Evidence string `json:"evidence,omitempty"`
}

// Customer holds the raw contact data; views mask it through package pii.
type Customer struct {
	ID          int64  `json:"id,omitempty"`
	DisplayName string `json:"name"`
	Email       string `json:"email"`
	Phone       string `json:"phone,omitempty"`
	Address     string `json:"address,omitempty"`
	IDNumber    string `json:"id_number,omitempty"`
	Vulnerable  bool   `json:"vulnerable,omitempty"`
}

// Event is one entry of a case timeline.
type Event struct {
	ID         int64     `json:"id"`
	CaseID     int64     `json:"case_id"`
	Kind       string    `json:"kind"`
	Channel    string    `json:"channel"`
	RawItemID  int64     `json:"raw_item_id,omitempty"`
	Actor      string    `json:"actor"`
	OccurredAt time.Time `json:"occurred_at"`
	Summary    string    `json:"summary"`
	BodyText   string    `json:"body_text"`
	BodyHTML   string    `json:"body_html,omitempty"`
	LinkReason string    `json:"link_reason,omitempty"`
	DataJSON   string    `json:"data,omitempty"`
	// Mailbox is what the mail server says of the message now, for an email mirrored over IMAP.
	Mailbox *MailboxState `json:"mailbox,omitempty"`
}

// MailboxState is a mirrored message's standing in its mailbox, as of the last sync. Cockpit never changes
// it: a colleague's reply from the shared mailbox sets \Answered; a deletion there leaves Cockpit's copy.
type MailboxState struct {
	Flags     []string   `json:"flags"`
	RemovedAt *time.Time `json:"removed_at,omitempty"`
}

// Filter narrows a case list. Zero values mean "any".
type Filter struct {
	Status     []Status
	Level      Level
	OwnerID    int64
	Type       string
	Flag       string
	Regulator  bool
	IncidentID int64
	Query      string // full-text, Chinese substrings included
	Limit      int
	Offset     int
}
