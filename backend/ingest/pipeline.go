// Package ingest is the pipeline every source feeds: raw bytes -> blob store -> parse -> link -> case and
// timeline event, one message per transaction, idempotent, with a quarantine for what cannot be read.
package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/cases"
	"cockpit/backend/clocks"
	"cockpit/backend/ingest/mailparse"
	"cockpit/backend/pii"
	"cockpit/backend/store"
)

// Role of a folder: what its items mean.
const (
	RoleComplaints = "complaints"
	RoleRegulator  = "regulator"
)

// Outcome statuses (the raw item's status); Skipped means the identity was already recorded.
const (
	StatusIngested    = "ingested"
	StatusQuarantined = "quarantined"
	StatusDuplicate   = "duplicate"
	StatusSkipped     = "skipped"
)

// Pipeline turns raw items into cases. Zero-value fields other than Store and Blobs have defaults.
type Pipeline struct {
	Store *store.Store
	Blobs *blobs.Store
	Clock clocks.Clock
	// Zone reads dates a regulator letter states ("请于11月30日前"); default Asia/Shanghai.
	Zone *time.Location
	// OnCaseChanged runs after a message committed to a case (new or existing), outside the transaction;
	// the case engine hooks classification and clocks here. Commit and Retry call it inline; a sync
	// (CommitBatch) runs it on worker goroutines (see Hooks), once per case per burst of messages, and
	// before the sync returns. A pending-hooks row written with the message makes a run that died catch
	// up later. It must be safe to call concurrently for different cases.
	OnCaseChanged func(ctx context.Context, caseID int64)

	mu        sync.Mutex
	orders    *cases.OrderMatcher // compiled at ordersGen (Store.OrderPatternsGeneration)
	ordersGen uint64
}

// Item is the identity of one raw item; its bytes are already in the blob store (see StoreRaw).
type Item struct {
	SourceID    int64
	FolderID    int64 // 0 when the source has no folders; else its high-water mark moves with the commit
	Folder      string
	Role        string // RoleComplaints (default) or RoleRegulator
	UIDValidity uint32
	UID         uint32 // IMAP UID; ExternalID defaults to it
	ExternalID  string
	ReceivedAt  time.Time // server arrival time (INTERNALDATE); used when the Date header is missing
	MailFlags   []string  // the message's flags in its mailbox when it was fetched (\Seen, \Answered ...)
}

// Outcome says what became of an item.
type Outcome struct {
	Status    string `json:"status"`
	RawItemID int64  `json:"raw_item_id"`
	CaseID    int64  `json:"case_id"`
	NewCase   bool   `json:"new_case"`
	LinkRule  string `json:"link_rule"`
	Error     string `json:"error,omitempty"` // why it was quarantined
}

func (p *Pipeline) now() time.Time {
	if p.Clock == nil {
		return time.Now().UTC()
	}
	return p.Clock.Now().UTC()
}

func (p *Pipeline) zone() *time.Location {
	if p.Zone != nil {
		return p.Zone
	}
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// matcher returns the order patterns compiled, read again after they are saved (a sync that runs while
// an admin edits them picks the new ones up at its next message).
func (p *Pipeline) matcher(ctx context.Context) (*cases.OrderMatcher, error) {
	gen := p.Store.OrderPatternsGeneration()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.orders != nil && p.ordersGen == gen {
		return p.orders, nil
	}
	js, err := p.Store.OrderPatternsJSON(ctx)
	if err != nil {
		return nil, err
	}
	m, err := cases.ParseOrderPatterns(js)
	if err != nil {
		return nil, err
	}
	p.orders, p.ordersGen = m, gen
	return m, nil
}

// StoreRaw streams a raw item into the blob store. It comes first: once the bytes are safe, everything
// else can be redone from them.
func (p *Pipeline) StoreRaw(r io.Reader) (sum string, size int64, err error) {
	sum, size, err = p.Blobs.Put(r)
	if err != nil {
		return "", 0, fmt.Errorf("store raw message: %w", err)
	}
	return sum, size, nil
}

// Parsed is a raw item read and ready to commit: Prepare's result. Its attachments are in the blob store.
type Parsed struct {
	SHA256 string
	Size   int64
	msg    *mailparse.Message
	orders []cases.OrderRef // found in the message by the order patterns, ahead of the commit
	perr   error            // why it is quarantined
}

// Prepare parses the raw item stored under sum and stores its attachments. It writes nothing to the database,
// so callers may run it ahead of Commit on another goroutine. The error is an infrastructure failure; an
// unreadable message is a Parsed that Commit quarantines.
func (p *Pipeline) Prepare(ctx context.Context, sum string) (*Parsed, error) {
	raw, err := p.Blobs.ReadAll(sum)
	if err != nil {
		return nil, fmt.Errorf("read raw message %s: %w", sum, err)
	}
	return p.PrepareBytes(ctx, sum, raw)
}

// PrepareBytes is Prepare for a caller that still holds the bytes it stored under sum: a sync keeps
// small messages from the fetch to the parse, rather than write them and read them straight back.
func (p *Pipeline) PrepareBytes(ctx context.Context, sum string, raw []byte) (*Parsed, error) {
	msg, perr, err := p.parseBytes(raw)
	if err != nil {
		return nil, err
	}
	pr := &Parsed{SHA256: sum, Size: int64(len(raw)), msg: msg, perr: perr}
	if msg != nil {
		// Here rather than in the commit, which a sync runs on one goroutine for all messages.
		if pr.orders, err = p.findOrders(ctx, msg); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

// findOrders returns the order numbers msg mentions.
func (p *Pipeline) findOrders(ctx context.Context, msg *mailparse.Message) ([]cases.OrderRef, error) {
	om, err := p.matcher(ctx)
	if err != nil {
		return nil, err
	}
	return om.Find(msg.Subject + "\n" + msg.Text), nil
}

// Ingest parses the raw item stored under sum and commits it (Prepare then Commit).
func (p *Pipeline) Ingest(ctx context.Context, it Item, sum string) (Outcome, error) {
	pr, err := p.Prepare(ctx, sum)
	if err != nil {
		return Outcome{}, err
	}
	return p.Commit(ctx, it, pr)
}

// Commit records a prepared item in one transaction. An unreadable message is quarantined (not an
// error); the error return is for infrastructure failures (disk, database), after which nothing of this
// item was committed and the caller may retry.
func (p *Pipeline) Commit(ctx context.Context, it Item, pr *Parsed) (Outcome, error) {
	out, err := p.commitItem(ctx, it, pr)
	if err == nil && out.Status == StatusIngested {
		p.runHook(ctx, out.CaseID)
	}
	return out, err
}

func (p *Pipeline) commitItem(ctx context.Context, it Item, pr *Parsed) (Outcome, error) {
	outs, err := p.commitItems(ctx, []Prepared{{Item: it, Parsed: pr}})
	if err != nil {
		return Outcome{}, err
	}
	return outs[0], nil
}

// Prepared is an item with its Prepare result, ready for CommitBatch.
type Prepared struct {
	Item   Item
	Parsed *Parsed
}

// CommitBatch commits items in order in one transaction and queues their cases' hooks on h. A sync
// commits what has piled up since its last commit this way: one transaction per message spent more on
// the commit (and on the full-text index's flush at each one) than on the message. The batch is as safe
// as one item: each item's folder high-water mark moves in the same transaction, so a crash loses the
// batch as a whole and the next sync fetches it again.
func (p *Pipeline) CommitBatch(ctx context.Context, items []Prepared, h *Hooks) ([]Outcome, error) {
	outs, err := p.commitItems(ctx, items)
	if err != nil {
		return nil, err
	}
	for _, out := range outs {
		if out.Status == StatusIngested {
			h.Add(out.CaseID)
		}
	}
	return outs, nil
}

func (p *Pipeline) commitItems(ctx context.Context, items []Prepared) ([]Outcome, error) {
	outs := make([]Outcome, len(items))
	err := p.Store.IngestTx(ctx, func(tx *store.IngestTx) error {
		for i, item := range items {
			out, err := p.commitOne(ctx, tx, item.Item, item.Parsed)
			if err != nil {
				return fmt.Errorf("ingest %s/%s: %w", item.Item.Folder, externalID(item.Item), err)
			}
			outs[i] = out
		}
		return nil
	})
	if len(items) == 1 && errors.Is(err, store.ErrAlreadyIngested) {
		// Only another writer between the check and the insert gets here (the data dir allows one).
		return []Outcome{{Status: StatusSkipped}}, nil
	}
	if err != nil {
		return nil, err
	}
	return outs, nil
}

func externalID(it Item) string {
	if it.ExternalID == "" {
		return fmt.Sprint(it.UID)
	}
	return it.ExternalID
}

// commitOne records one prepared item inside tx.
func (p *Pipeline) commitOne(ctx context.Context, tx *store.IngestTx, it Item, pr *Parsed) (Outcome, error) {
	msg, perr, sum, size := pr.msg, pr.perr, pr.SHA256, pr.Size
	it.ExternalID = externalID(it)
	if it.Role == "" {
		it.Role = RoleComplaints
	}
	raw := store.RawItem{SourceID: it.SourceID, Folder: it.Folder, UIDValidity: it.UIDValidity, ExternalID: it.ExternalID,
		Kind: "email", SHA256: sum, Size: size, ReceivedAt: it.ReceivedAt, IngestedAt: p.now(), MailFlags: it.MailFlags}
	// Checked before anything is written, so that a batch can skip the item and keep the others
	// (a savepoint per item would do too, but makes the full-text index flush at every one).
	if recorded, err := tx.Recorded(ctx, raw); err != nil || recorded {
		return Outcome{Status: StatusSkipped}, err
	}
	if perr != nil {
		raw.Status, raw.Error = StatusQuarantined, perr.Error()
		id, err := tx.InsertRawItem(ctx, raw)
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Status: StatusQuarantined, RawItemID: id, Error: raw.Error}, p.advance(ctx, tx, it, StatusQuarantined)
	}
	raw.MessageID = msg.MessageID
	dupRaw, dupCase, err := tx.DuplicateOf(ctx, sum, msg.MessageID)
	if err != nil {
		return Outcome{}, fmt.Errorf("dedupe: %w", err)
	}
	if dupRaw != 0 {
		raw.Status, raw.CaseID = StatusDuplicate, dupCase
		raw.Error = fmt.Sprintf("same bytes and Message-ID as raw item %d", dupRaw)
		id, err := tx.InsertRawItem(ctx, raw)
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Status: StatusDuplicate, RawItemID: id, CaseID: dupCase}, p.advance(ctx, tx, it, StatusDuplicate)
	}
	raw.Status = StatusIngested
	out, err := p.commit(ctx, tx, it.Role, msg, pr.orders, raw, 0)
	if err != nil {
		return Outcome{}, err
	}
	return out, p.advance(ctx, tx, it, StatusIngested)
}

// runHook calls OnCaseChanged and clears the case's pending row. A row that stays (the process died, or
// the delete failed) is run again by the next StartHooks; the hook is a refresh, so running twice is safe.
func (p *Pipeline) runHook(ctx context.Context, caseID int64) {
	if p.OnCaseChanged == nil || caseID == 0 {
		return
	}
	p.OnCaseChanged(ctx, caseID)
	_ = p.Store.CaseHookDone(context.WithoutCancel(ctx), caseID)
}

// Hooks runs OnCaseChanged off the commit path, once per case however many of its messages arrived in
// the meantime. The case engine's refresh costs more than a commit, so running it per message made a
// sync of a busy mailbox many times slower, and a bounded queue would again hold commits (and with
// them the IMAP fetch) to its pace. So the queue is a set of case ids (Add never blocks, memory grows
// only with distinct cases), run when the sync ends (Close) or once its oldest case has waited
// HookMaxDelay: during a first sync of a large mailbox a case that gets a message every few seconds is
// then refreshed a few times, not once per message, and a sync of a few new messages (IDLE) refreshes
// them as soon as it ends. (Waiting for a pause in the commits instead released a batch at every
// hiccup of the fetch.) A released batch holds distinct cases, so it is spread over one worker per CPU.
type Hooks struct {
	p       *Pipeline
	ctx     context.Context
	mu      sync.Mutex
	queued  map[int64]bool
	order   []int64
	first   time.Time // when the oldest queued case was added
	closing bool
	wake    chan struct{}
	done    chan struct{}
}

// HookMaxDelay is the longest a case waits for its refresh while a sync goes on. Each refresh re-reads
// all of a case's mail, so a case refreshed in the middle of a first sync is refreshed again at its end:
// at 10 s, a 10,000-message sync refreshed its 2,892 cases 4,701 times, and half a minute took a tenth
// off its CPU time (make bench-imap). A sync of a few new messages still refreshes them when it ends.
const HookMaxDelay = 30 * time.Second

// StartHooks starts the runner; it first catches up on cases left pending by an earlier run that died.
func (p *Pipeline) StartHooks(ctx context.Context) *Hooks {
	h := &Hooks{p: p, ctx: ctx, queued: map[int64]bool{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	if p.OnCaseChanged != nil {
		backlog, _ := p.Store.PendingCaseHooks(ctx) // unreadable: they stay pending for the next run
		for _, id := range backlog {
			h.Add(id)
		}
	}
	go h.run()
	return h
}

// Add queues a case (again, if its refresh already started: the new message must be seen).
func (h *Hooks) Add(caseID int64) {
	if h == nil || h.p.OnCaseChanged == nil {
		return
	}
	now := time.Now()
	h.mu.Lock()
	if !h.queued[caseID] {
		if len(h.order) == 0 {
			h.first = now
		}
		h.queued[caseID] = true
		h.order = append(h.order, caseID)
	}
	h.mu.Unlock()
	h.poke()
}

func (h *Hooks) poke() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Close runs what is queued and waits for it.
func (h *Hooks) Close() {
	if h == nil {
		return
	}
	h.mu.Lock()
	h.closing = true
	h.mu.Unlock()
	h.poke()
	<-h.done
}

func (h *Hooks) run() {
	defer close(h.done)
	for {
		batch, wait, closing := h.next(time.Now())
		if len(batch) == 0 {
			if closing {
				return
			}
			if wait == 0 {
				<-h.wake
				continue
			}
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-h.wake:
			}
			t.Stop()
			continue
		}
		h.runBatch(batch)
	}
}

// next releases the queued cases when they are due; otherwise it says how long to wait (0: until woken).
func (h *Hooks) next(now time.Time) (batch []int64, wait time.Duration, closing bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.order) == 0 {
		return nil, 0, h.closing
	}
	if wait := h.first.Add(HookMaxDelay).Sub(now); !h.closing && wait > 0 {
		return nil, wait, false
	}
	batch = h.order
	h.order = nil
	for _, id := range batch {
		delete(h.queued, id)
	}
	return batch, 0, h.closing
}

func (h *Hooks) runBatch(batch []int64) {
	workers := min(runtime.GOMAXPROCS(0), 4, len(batch))
	ids := make(chan int64)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for id := range ids {
				h.p.runHook(h.ctx, id)
			}
		})
	}
	for _, id := range batch {
		ids <- id
	}
	close(ids)
	wg.Wait()
}

func (p *Pipeline) advance(ctx context.Context, tx *store.IngestTx, it Item, status string) error {
	if it.FolderID == 0 {
		return nil
	}
	return tx.AdvanceFolder(ctx, it.FolderID, it.UID, status)
}

// parseBytes parses a raw message and stores its attachments; perr is the reason to quarantine it, err
// an infrastructure failure (an attachment that could not be stored).
func (p *Pipeline) parseBytes(raw []byte) (msg *mailparse.Message, perr, err error) {
	msg, err = mailparse.Parse(raw, p.Blobs.Put)
	if errors.Is(err, mailparse.ErrUnreadable) {
		return nil, err, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return msg, nil, nil
}

// commit links msg, which mentions orders, and writes raw item (rawID 0: insert raw; else resolve that
// quarantined item), case, event, thread ids and attachments.
func (p *Pipeline) commit(ctx context.Context, tx *store.IngestTx, role string, msg *mailparse.Message, orders []cases.OrderRef, raw store.RawItem, rawID int64) (Outcome, error) {
	now := p.now()
	var reg cases.RegulatorInfo
	if role == RoleRegulator {
		reg = cases.ExtractRegulator(msg.Subject+"\n"+msg.Text, p.zone())
	}
	dec, err := cases.Link(ctx, tx, cases.LinkInput{InReplyTo: msg.InReplyTo, References: msg.References,
		WorkOrderNo: reg.WorkOrderNo, Orders: orders, FromEmail: msg.From.Email})
	if err != nil {
		return Outcome{}, err
	}
	at := messageTime(msg.Date, raw.ReceivedAt, now)
	customerID, err := tx.UpsertCustomer(ctx, msg.From.Name, msg.From.Email, now)
	if err != nil {
		return Outcome{}, err
	}
	orderNo := ""
	if len(orders) > 0 {
		orderNo = orders[0].No
	}
	caseID := dec.CaseID
	if caseID == 0 {
		title := strings.TrimSpace(msg.Subject)
		if title == "" {
			title = "(无主题 / no subject)"
		}
		caseID, err = tx.CreateCase(ctx, store.NewCase{Title: title, CustomerID: customerID, OrderNo: orderNo,
			IsRegulator: role == RoleRegulator, WorkOrderNo: reg.WorkOrderNo, StatedDeadline: reg.Deadline, OpenedAt: at, Now: now})
		if err != nil {
			return Outcome{}, err
		}
	}
	if dec.CaseID != 0 {
		if err := tx.TouchCase(ctx, store.CaseUpdate{CaseID: caseID, MessageAt: at, OrderNo: orderNo, CustomerID: customerID,
			IsRegulator: role == RoleRegulator, WorkOrderNo: reg.WorkOrderNo, StatedDeadline: reg.Deadline, Now: now}); err != nil {
			return Outcome{}, err
		}
	}
	if rawID == 0 {
		raw.CaseID = caseID
		if rawID, err = tx.InsertRawItem(ctx, raw); err != nil {
			return Outcome{}, err
		}
	} else if err := tx.ResolveQuarantined(ctx, rawID, caseID, raw.MessageID, now); err != nil {
		return Outcome{}, err
	}
	type attJSON struct {
		ID int64 `json:"id"`
		mailparse.Attachment
	}
	atts := []attJSON{}
	for _, a := range msg.Attachments {
		id, err := tx.InsertAttachment(ctx, store.AttachmentRow{RawItemID: rawID, CaseID: caseID, Filename: a.Filename,
			ContentType: a.ContentType, ContentID: a.ContentID, SHA256: a.SHA256, Size: a.Size})
		if err != nil {
			return Outcome{}, err
		}
		atts = append(atts, attJSON{ID: id, Attachment: a})
	}
	data := map[string]any{
		"message_id": msg.MessageID, "from": pii.Email(msg.From.Email), "from_name": pii.Name(msg.From.Name),
		"attachments": atts, "orders": orders, "link_rule": dec.Rule, "role": role,
	}
	if len(msg.Warnings) > 0 {
		data["warnings"] = msg.Warnings
	}
	if role == RoleRegulator {
		reg := map[string]any{"work_order_no": reg.WorkOrderNo, "deadline_text": reg.DeadlineText}
		data["regulator"] = reg
	}
	js, err := json.Marshal(data)
	if err != nil {
		return Outcome{}, fmt.Errorf("event data: %w", err)
	}
	channel := "email"
	if role == RoleRegulator {
		channel = "regulator"
	}
	actor := pii.Email(msg.From.Email)
	if _, err := tx.InsertEvent(ctx, cases.Event{CaseID: caseID, Kind: "email", Channel: channel, RawItemID: rawID,
		Actor: actor, OccurredAt: at, Summary: msg.Subject, BodyText: msg.Text, BodyHTML: msg.HTML,
		LinkReason: dec.Reason, DataJSON: string(js)}); err != nil {
		return Outcome{}, err
	}
	ids := append([]string{msg.MessageID}, msg.References...)
	if err := tx.AddMessageRefs(ctx, caseID, append(ids, msg.InReplyTo...)); err != nil {
		return Outcome{}, err
	}
	if p.OnCaseChanged != nil {
		if err := tx.QueueCaseHook(ctx, caseID, now); err != nil {
			return Outcome{}, err
		}
	}
	return Outcome{Status: StatusIngested, RawItemID: rawID, CaseID: caseID, NewCase: dec.CaseID == 0, LinkRule: dec.Rule}, nil
}

// messageTime is when the message happened: its Date unless that is missing or absurd (future, before
// e-commerce), then the server's arrival time, then now.
func messageTime(date, received, now time.Time) time.Time {
	if !date.IsZero() && date.Before(now.Add(24*time.Hour)) && date.Year() >= 1995 {
		return date
	}
	if !received.IsZero() {
		return received.UTC()
	}
	return now
}

// Retry parses a quarantined item again (after an upgrade of the parser) and ingests it when it now reads.
func (p *Pipeline) Retry(ctx context.Context, rawID int64) (Outcome, error) {
	raw, err := p.Store.GetRawItem(ctx, rawID)
	if err != nil {
		return Outcome{}, err
	}
	if raw.Status != StatusQuarantined {
		return Outcome{}, fmt.Errorf("raw item %d is %s, not quarantined", rawID, raw.Status)
	}
	pr, err := p.Prepare(ctx, raw.SHA256)
	if err != nil {
		return Outcome{}, err
	}
	if pr.perr != nil {
		if err := p.Store.RetryFailed(ctx, rawID, pr.perr.Error(), p.now()); err != nil {
			return Outcome{}, err
		}
		return Outcome{Status: StatusQuarantined, RawItemID: rawID, Error: pr.perr.Error()}, nil
	}
	role, err := p.Store.FolderRole(ctx, raw.SourceID, raw.Folder)
	if err != nil {
		return Outcome{}, err
	}
	raw.MessageID = pr.msg.MessageID
	var out Outcome
	err = p.Store.IngestTx(ctx, func(tx *store.IngestTx) error {
		var err error
		out, err = p.commit(ctx, tx, role, pr.msg, pr.orders, raw, rawID)
		return err
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("retry raw item %d: %w", rawID, err)
	}
	p.runHook(ctx, out.CaseID)
	return out, nil
}
