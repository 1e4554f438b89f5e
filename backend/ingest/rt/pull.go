package rt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Settings are a source's non-secret configuration (the token lives in the secret store).
type Settings struct {
	BaseURL string   `json:"base_url"`
	Queues  []string `json:"queues"`
	// Filter is extra TicketSQL naming which tickets are escalations, e.g. "Priority >= 50" or
	// "CF.{Escalation} = 'yes'"; empty means every ticket in the queues.
	Filter string `json:"filter"`
}

// Validate reports settings that cannot work.
func (s Settings) Validate() error {
	if strings.TrimSpace(s.BaseURL) == "" {
		return errors.New("rt: base URL is required")
	}
	if _, err := NewClient(s.BaseURL, "", nil); err != nil {
		return err
	}
	for _, q := range s.Queues {
		if strings.TrimSpace(q) == "" {
			return errors.New("rt: empty queue name")
		}
	}
	return nil
}

// TicketSQL is the escalation filter the pull uses: the queues OR-ed, AND the user's filter.
func (s Settings) TicketSQL() string {
	var parts []string
	if len(s.Queues) > 0 {
		var qs []string
		for _, q := range s.Queues {
			qs = append(qs, "Queue = '"+quoteSQL(strings.TrimSpace(q))+"'")
		}
		parts = append(parts, "("+strings.Join(qs, " OR ")+")")
	}
	if f := strings.TrimSpace(s.Filter); f != "" {
		parts = append(parts, "("+f+")")
	}
	return strings.Join(parts, " AND ")
}

func quoteSQL(s string) string { return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) }

// Timeline kinds: the transaction types that become timeline entries. Everything else (EmailRecord
// copies of autoreplies, AddWatcher, AddLink, ...) is noise for a complaint owner.
var timelineTypes = map[string]bool{"Create": true, "Correspond": true, "Comment": true, "Status": true, "Set": true}

// File is an attachment with its exact bytes.
type File struct {
	AttachmentID int64
	Name         string
	ContentType  string
	Data         []byte
}

// TicketInfo is the ticket as it was when an entry was pulled.
type TicketInfo struct {
	ID         int64     `json:"id"`
	Subject    string    `json:"subject"`
	Status     string    `json:"status"`
	Queue      string    `json:"queue"`
	Owner      string    `json:"owner"`
	Requestors []string  `json:"requestors"`
	Priority   int64     `json:"priority"`
	Due        time.Time `json:"due,omitzero"`
}

// Entry is one timeline entry: a ticket transaction with its body and files.
type Entry struct {
	Ticket   TicketInfo
	TxnID    int64
	Type     string // Create | Correspond | Comment | Status | Set
	At       time.Time
	Actor    string
	Summary  string
	Body     string
	BodyHTML string
	Files    []File
	Raw      []byte // the transaction as RT sent it, with the attachment list, kept as the raw item
}

// ExternalID identifies an entry within its source: "ticket:transaction".
func (e Entry) ExternalID() string { return ExternalID(e.Ticket.ID, e.TxnID) }

// ExternalID builds the de-duplication key of a transaction.
func ExternalID(ticket, txn int64) string {
	return strconv.FormatInt(ticket, 10) + ":" + strconv.FormatInt(txn, 10)
}

// Result sums up a pull.
type Result struct {
	Cursor  time.Time // the LastUpdated to pass as since next time
	Tickets int
	Entries int     // entries emitted
	Skipped int     // already seen or noise
	Errors  []error // per ticket or per transaction; the rest of the pull went on
}

// Puller pulls one RT source.
type Puller struct {
	Client   *Client
	Settings Settings
}

// Pull emits, in order, every timeline entry of escalation tickets updated at or after since that seen
// does not already know. The returned cursor only moves past tickets that were handled without error,
// so a failed ticket is retried next time while seen keeps the others from repeating.
func (p *Puller) Pull(ctx context.Context, since time.Time, seen func(externalID string) (bool, error), emit func(Entry) error) (Result, error) {
	res := Result{Cursor: since}
	stamps, err := p.Client.SearchUpdated(ctx, p.Settings.TicketSQL(), since)
	if err != nil {
		return res, fmt.Errorf("search tickets: %w", err)
	}
	blocked := false
	for _, st := range stamps {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		id := st.ID.Int()
		res.Tickets++
		if err := p.pullTicket(ctx, id, seen, emit, &res); err != nil {
			res.Errors = append(res.Errors, fmt.Errorf("ticket %d: %w", id, err))
			if errors.Is(err, ErrUnauthorized) || ctx.Err() != nil {
				return res, err
			}
			blocked = true
			continue
		}
		if !blocked && st.LastUpdated.After(res.Cursor) {
			res.Cursor = st.LastUpdated.Time
		}
	}
	return res, nil
}

func (p *Puller) pullTicket(ctx context.Context, id int64, seen func(string) (bool, error), emit func(Entry) error, res *Result) error {
	t, _, err := p.Client.Ticket(ctx, id)
	if err != nil {
		return err
	}
	info := TicketInfo{ID: id, Subject: t.Subject, Status: t.Status, Queue: t.Queue.ID, Owner: t.Owner.ID,
		Requestors: t.RequestorEmails(), Priority: t.Priority.Int(), Due: t.Due.Time}
	history, err := p.Client.History(ctx, id)
	if err != nil {
		return err
	}
	var failed error
	for _, h := range history {
		if h.Err != nil {
			res.Errors = append(res.Errors, h.Err)
			failed = h.Err
			continue
		}
		if !timelineTypes[h.Type] {
			res.Skipped++
			continue
		}
		txn := h.ID.Int()
		known, err := seen(ExternalID(id, txn))
		if err != nil {
			return err
		}
		if known {
			res.Skipped++
			continue
		}
		e, err := p.entry(ctx, info, h)
		if err == nil {
			err = emit(e)
		}
		if err != nil {
			if errors.Is(err, ErrUnauthorized) {
				return err
			}
			res.Errors = append(res.Errors, fmt.Errorf("ticket %d transaction %d: %w", id, txn, err))
			failed = err
			continue
		}
		res.Entries++
	}
	if failed != nil {
		return fmt.Errorf("some transactions failed (retried next run): %w", failed)
	}
	return nil
}

// rawEntry is what is kept as the raw item: RT's transaction JSON and the list of its MIME parts.
type rawEntry struct {
	Ticket      int64           `json:"ticket"`
	Transaction json.RawMessage `json:"transaction"`
	Parts       []rawPart       `json:"parts,omitempty"`
}

type rawPart struct {
	ID          int64  `json:"id"`
	ContentType string `json:"content_type"`
	Filename    string `json:"filename,omitempty"`
	Size        int    `json:"size"`
}

func (p *Puller) entry(ctx context.Context, info TicketInfo, h HistoryItem) (Entry, error) {
	e := Entry{Ticket: info, TxnID: h.ID.Int(), Type: h.Type, At: h.Created.Time, Actor: h.Creator.ID}
	raw := rawEntry{Ticket: info.ID, Transaction: h.Raw}
	switch h.Type {
	case "Status", "Set":
		field := h.Field
		if h.Type == "Status" && field == "" {
			field = "Status"
		}
		e.Summary = fmt.Sprintf("%s: %s → %s", field, h.OldValue, h.NewValue)
	default:
		parts, err := p.Client.TransactionAttachments(ctx, e.TxnID)
		if err != nil {
			return e, err
		}
		for _, a := range parts {
			if strings.HasPrefix(strings.ToLower(a.ContentType), "multipart/") {
				continue // containers hold no content of their own
			}
			meta, data, err := p.Client.AttachmentContent(ctx, a.ID.Int())
			if err != nil {
				return e, err
			}
			raw.Parts = append(raw.Parts, rawPart{ID: a.ID.Int(), ContentType: meta.ContentType, Filename: meta.Filename, Size: len(data)})
			ct := strings.ToLower(strings.TrimSpace(strings.Split(meta.ContentType, ";")[0]))
			switch {
			case meta.Filename == "" && ct == "text/plain" && e.Body == "":
				e.Body = string(data)
			case meta.Filename == "" && ct == "text/html" && e.BodyHTML == "":
				e.BodyHTML = string(data)
			default:
				e.Files = append(e.Files, File{AttachmentID: a.ID.Int(), Name: meta.Filename, ContentType: meta.ContentType, Data: data})
			}
		}
		e.Summary = summaryLine(h.Type, info.Subject, e.Body)
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return e, err
	}
	e.Raw = b
	return e, nil
}

func summaryLine(kind, subject, body string) string {
	if kind == "Create" {
		return subject
	}
	line := strings.TrimSpace(body)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if r := []rune(line); len(r) > 120 {
		line = string(r[:120]) + "…"
	}
	return line
}
