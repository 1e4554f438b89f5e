package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/pii"
	"cockpit/backend/store"
)

// Record is an item a connector has already parsed: a helpdesk transaction, an import row, a regulator
// letter. It goes through the same linking, case and timeline code as mail (IngestRecord), so every
// source obeys the same rules; only MIME parsing is skipped.
type Record struct {
	Item        // identity; ExternalID is required and is the de-duplication key within the source
	Kind string // raw item kind: ticket | import | letter
	Raw  []byte // the bytes kept unchanged as the raw item (a ticket's JSON, the row, the letter file)
	// Thread keys: the record joins the case that holds any of them (like Message-IDs), and all of them
	// are recorded for the records that follow (e.g. "rt:3:ticket:12" for every transaction of a ticket).
	Thread         []string
	At             time.Time // when it happened; zero means ReceivedAt, then now
	Title          string    // case title when the record opens a case
	EventKind      string    // timeline kind: ticket | import | letter | status
	Channel        string    // helpdesk | import | regulator
	Actor          string    // already masked where it is customer data
	Summary        string
	Body           string
	BodyHTML       string
	CustomerName   string
	CustomerEmail  string
	OrderNo        string // an order number a column names explicitly; the text is searched as well
	WorkOrderNo    string
	StatedDeadline time.Time
	Files          []RecordFile
	Data           map[string]any // extra timeline data (kept as JSON on the event)
	// CaseID files the record into that case (a letter the user linked by hand); 0 lets the linker decide.
	CaseID int64
	// NewCase opens a new case whatever the linker would find (a new regulator matter).
	NewCase bool
}

// RecordFile is an attachment with its exact bytes.
type RecordFile struct {
	Name        string
	ContentType string
	Data        []byte
}

// IngestRecord stores r's raw bytes and files in the blob store and commits raw item, case, event, thread
// keys and attachments in one transaction. A record whose identity is already recorded is Skipped and
// changes nothing, so connectors can re-send after a crash or an overlapping pull.
func (p *Pipeline) IngestRecord(ctx context.Context, r Record) (Outcome, error) {
	if r.ExternalID == "" || r.SourceID == 0 {
		return Outcome{}, errors.New("ingest record: source and external id are required")
	}
	sum, size, err := p.StoreRaw(bytes.NewReader(r.Raw))
	if err != nil {
		return Outcome{}, err
	}
	type stored struct {
		RecordFile
		sum  string
		size int64
	}
	files := make([]stored, 0, len(r.Files))
	for _, f := range r.Files {
		s, n, err := p.Blobs.PutBytes(f.Data)
		if err != nil {
			return Outcome{}, fmt.Errorf("store attachment %q: %w", f.Name, err)
		}
		files = append(files, stored{RecordFile: f, sum: s, size: n})
	}
	if r.Role == "" {
		r.Role = RoleComplaints
	}
	now := p.now()
	at := r.At
	if at.IsZero() {
		at = messageTime(time.Time{}, r.ReceivedAt, now)
	}
	om, err := p.matcher(ctx)
	if err != nil {
		return Outcome{}, err
	}
	text := r.Title + "\n" + r.Summary + "\n" + r.Body
	var orders []cases.OrderRef
	if r.OrderNo != "" {
		orders = append(orders, cases.OrderRef{No: r.OrderNo, Platform: "column"})
	}
	for _, o := range om.Find(text) {
		if o.No != r.OrderNo {
			orders = append(orders, o)
		}
	}
	if r.Role == RoleRegulator && (r.WorkOrderNo == "" || r.StatedDeadline.IsZero()) {
		reg := cases.ExtractRegulator(text, p.zone())
		if r.WorkOrderNo == "" {
			r.WorkOrderNo = reg.WorkOrderNo
		}
		if r.StatedDeadline.IsZero() {
			r.StatedDeadline = reg.Deadline
		}
	}
	var out Outcome
	err = p.Store.IngestTx(ctx, func(tx *store.IngestTx) error {
		dec := cases.LinkDecision{CaseID: r.CaseID, Rule: "manual", Reason: "filed into this case by hand"}
		switch {
		case r.NewCase:
			dec = cases.LinkDecision{Rule: "new", Reason: "new matter opened by hand"}
		case r.CaseID == 0:
			var err error
			dec, err = cases.Link(ctx, tx, cases.LinkInput{References: r.Thread, WorkOrderNo: r.WorkOrderNo,
				Orders: orders, FromEmail: r.CustomerEmail})
			if err != nil {
				return err
			}
		}
		customerID, err := tx.UpsertCustomer(ctx, r.CustomerName, r.CustomerEmail, now)
		if err != nil {
			return err
		}
		orderNo := ""
		if len(orders) > 0 {
			orderNo = orders[0].No
		}
		regulator := r.Role == RoleRegulator
		caseID := dec.CaseID
		if caseID == 0 {
			title := strings.TrimSpace(r.Title)
			if title == "" {
				title = "(无主题 / no subject)"
			}
			caseID, err = tx.CreateCase(ctx, store.NewCase{Title: title, CustomerID: customerID, OrderNo: orderNo,
				IsRegulator: regulator, WorkOrderNo: r.WorkOrderNo, StatedDeadline: r.StatedDeadline, OpenedAt: at, Now: now})
			if err != nil {
				return err
			}
		}
		rawID, err := tx.InsertRawItem(ctx, store.RawItem{SourceID: r.SourceID, Folder: r.Folder, UIDValidity: r.UIDValidity,
			ExternalID: r.ExternalID, Kind: r.Kind, SHA256: sum, Size: size, Status: StatusIngested, CaseID: caseID,
			ReceivedAt: r.ReceivedAt, IngestedAt: now})
		if err != nil {
			return err // ErrAlreadyIngested rolls back the case this record would have opened
		}
		if dec.CaseID != 0 {
			if err := tx.TouchCase(ctx, store.CaseUpdate{CaseID: caseID, MessageAt: at, OrderNo: orderNo, CustomerID: customerID,
				IsRegulator: regulator, WorkOrderNo: r.WorkOrderNo, StatedDeadline: r.StatedDeadline, Now: now}); err != nil {
				return err
			}
		}
		type attJSON struct {
			ID          int64  `json:"id"`
			Filename    string `json:"filename"`
			ContentType string `json:"content_type"`
			SHA256      string `json:"sha256"`
			Size        int64  `json:"size"`
		}
		atts := []attJSON{}
		for _, f := range files {
			id, err := tx.InsertAttachment(ctx, store.AttachmentRow{RawItemID: rawID, CaseID: caseID, Filename: f.Name,
				ContentType: f.ContentType, SHA256: f.sum, Size: f.size})
			if err != nil {
				return err
			}
			atts = append(atts, attJSON{ID: id, Filename: f.Name, ContentType: f.ContentType, SHA256: f.sum, Size: f.size})
		}
		data := map[string]any{}
		for k, v := range r.Data {
			data[k] = v
		}
		data["attachments"], data["orders"], data["link_rule"], data["role"] = atts, orders, dec.Rule, r.Role
		if r.CustomerEmail != "" {
			data["from"] = pii.Email(r.CustomerEmail)
		}
		if regulator {
			data["regulator"] = map[string]any{"work_order_no": r.WorkOrderNo, "deadline": r.StatedDeadline}
		}
		js, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("event data: %w", err)
		}
		if _, err := tx.InsertEvent(ctx, cases.Event{CaseID: caseID, Kind: r.EventKind, Channel: r.Channel, RawItemID: rawID,
			Actor: r.Actor, OccurredAt: at, Summary: r.Summary, BodyText: r.Body, BodyHTML: r.BodyHTML,
			LinkReason: dec.Reason, DataJSON: string(js)}); err != nil {
			return err
		}
		if err := tx.AddMessageRefs(ctx, caseID, r.Thread); err != nil {
			return err
		}
		out = Outcome{Status: StatusIngested, RawItemID: rawID, CaseID: caseID, NewCase: dec.CaseID == 0, LinkRule: dec.Rule}
		return nil
	})
	if errors.Is(err, store.ErrAlreadyIngested) {
		return Outcome{Status: StatusSkipped}, nil
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("ingest %s %s: %w", r.Kind, r.ExternalID, err)
	}
	if p.OnCaseChanged != nil {
		p.OnCaseChanged(ctx, out.CaseID)
	}
	return out, nil
}

// Now is the pipeline's clock reading, for connectors that stamp their own state (cursors).
func (p *Pipeline) Now() time.Time { return p.now() }

// Location is the operation's zone (Zone, default Asia/Shanghai) for connectors that read local dates.
func (p *Pipeline) Location() *time.Location { return p.zone() }
