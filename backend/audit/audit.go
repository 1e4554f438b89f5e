// Package audit is Cockpit's append-only, hash-chained trail of every decision: state changes,
// approvals, overrides, role changes, exports and PII unmasking.
//
// Each row carries the SHA-256 of the previous row's hash plus its own canonical content, and the
// chain head (last id and hash) is kept beside the log. Verify walks the chain and names every row
// that was edited, inserted or deleted. The chain is unkeyed: it exposes tampering by anyone who does
// not recompute every later hash and the head as well, which is the threat here (a hand edit of the
// SQLite file); the triggers of migration 0005 refuse UPDATE and DELETE in the first place.
package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

// Entry is one thing that happened. Actor is the username (or "system", "cli:<user>"); Action is a
// dotted verb such as "compensation.approve" or "pii.unmask"; ObjectType/ObjectID name what it
// happened to ("case", "42"). Detail is any JSON-encodable value (a map or a small struct).
// At is when it happened, from the caller's injected clock; zero means the system clock.
type Entry struct {
	Actor      string
	Action     string
	ObjectType string
	ObjectID   string
	Detail     any
	At         time.Time
}

func (e Entry) row() (store.AuditRow, error) {
	if strings.TrimSpace(e.Actor) == "" || strings.TrimSpace(e.Action) == "" || strings.TrimSpace(e.ObjectType) == "" {
		return store.AuditRow{}, fmt.Errorf("audit: entry needs actor, action and object type (got %q, %q, %q)", e.Actor, e.Action, e.ObjectType)
	}
	detail := "{}"
	if e.Detail != nil {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return store.AuditRow{}, fmt.Errorf("audit: encode detail of %s: %w", e.Action, err)
		}
		detail = string(b)
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	return store.AuditRow{At: at.UTC(), Actor: e.Actor, Action: e.Action, ObjectType: e.ObjectType,
		ObjectID: e.ObjectID, DetailJSON: detail}, nil
}

// Record appends e in its own transaction.
func Record(ctx context.Context, st *store.Store, e Entry) error {
	r, err := e.row()
	if err != nil {
		return err
	}
	_, err = st.AppendAudit(ctx, r, seal)
	return err
}

// RecordTx appends e inside the caller's transaction, so the decision and its audit row commit or roll
// back together.
func RecordTx(ctx context.Context, tx *sql.Tx, e Entry) error {
	r, err := e.row()
	if err != nil {
		return err
	}
	_, err = store.AppendAuditTx(ctx, tx, r, seal)
	return err
}

func seal(r *store.AuditRow) error {
	r.Hash = Hash(*r)
	return nil
}

// Hash is SHA-256 over the previous hash and the row's canonical content: a JSON array of the id and
// the stored column texts. JSON arrays of strings encode one way only, so the same row always hashes
// the same, and a field boundary can never be shifted without changing the hash.
func Hash(r store.AuditRow) string {
	content, _ := json.Marshal([]any{r.ID, r.RawAt, r.Actor, r.Action, r.ObjectType, r.ObjectID, r.DetailJSON})
	h := sha256.New()
	h.Write([]byte(r.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// Problem kinds found by Verify.
const (
	Edited   = "edited"   // the row's content no longer matches its hash
	Deleted  = "deleted"  // rows are missing from the chain
	Inserted = "inserted" // a row does not chain from its predecessor, or sits past the head
)

// Problem is one break in the chain, naming the row (or first missing row) concerned.
type Problem struct {
	ID      int64  `json:"id"`
	LastID  int64  `json:"last_id,omitempty"` // for a deleted range
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Report is the result of Verify.
type Report struct {
	Rows     int       `json:"rows"`
	HeadID   int64     `json:"head_id"`
	OK       bool      `json:"ok"`
	Problems []Problem `json:"problems"`
}

// Verify walks the whole log and reports every row that was edited, inserted or deleted.
func Verify(ctx context.Context, st *store.Store) (Report, error) {
	rep := Report{Problems: []Problem{}}
	head, err := st.AuditHead(ctx)
	if err != nil {
		return rep, err
	}
	rep.HeadID = head.ID
	var prev store.AuditRow // zero: before the first row
	add := func(p Problem) { rep.Problems = append(rep.Problems, p) }
	err = st.EachAudit(ctx, func(r store.AuditRow) error {
		rep.Rows++
		if r.ID > prev.ID+1 {
			add(Problem{ID: prev.ID + 1, LastID: r.ID - 1, Kind: Deleted,
				Message: fmt.Sprintf("%s deleted", rangeText(prev.ID+1, r.ID-1))})
		}
		edited := Hash(r) != r.Hash
		if edited {
			add(Problem{ID: r.ID, Kind: Edited, Message: fmt.Sprintf("row %d was edited: its content does not match its hash", r.ID)})
		}
		if r.PrevHash != prev.Hash && r.ID == prev.ID+1 {
			// Contiguous ids but a broken link: the predecessor was rewritten (its hash recomputed to
			// hide an edit), or this row was slipped in.
			add(Problem{ID: r.ID, Kind: Inserted, Message: fmt.Sprintf("row %d does not chain from row %d: one of them was rewritten or inserted", r.ID, prev.ID)})
		}
		if head.ID != 0 && r.ID > head.ID {
			add(Problem{ID: r.ID, Kind: Inserted, Message: fmt.Sprintf("row %d lies past the recorded head (row %d): inserted by hand", r.ID, head.ID)})
		}
		prev = r
		return nil
	})
	if err != nil {
		return rep, err
	}
	switch {
	case head.ID > prev.ID:
		add(Problem{ID: prev.ID + 1, LastID: head.ID, Kind: Deleted,
			Message: fmt.Sprintf("%s deleted from the end of the log", rangeText(prev.ID+1, head.ID))})
	case head.ID == prev.ID && head.ID != 0 && head.Hash != prev.Hash:
		add(Problem{ID: prev.ID, Kind: Edited, Message: fmt.Sprintf("row %d does not match the recorded head: it was rewritten", prev.ID)})
	}
	rep.OK = len(rep.Problems) == 0
	return rep, nil
}

func rangeText(from, to int64) string {
	if from == to {
		return fmt.Sprintf("row %d was", from)
	}
	return fmt.Sprintf("rows %d-%d were", from, to)
}

// Log records through the store with times from an injected clock. Its Record method has the shape the
// domain services' small Auditor interfaces ask for (evidence, filings...), so they need not import store.
type Log struct {
	Store *store.Store
	Clock clocks.Clock
}

// Record appends one entry stamped with the log's clock.
func (l Log) Record(ctx context.Context, actor, action, objectType, objectID string, detail map[string]any) error {
	e := Entry{Actor: actor, Action: action, ObjectType: objectType, ObjectID: objectID}
	if detail != nil {
		e.Detail = detail
	}
	if l.Clock != nil {
		e.At = l.Clock.Now()
	}
	return Record(ctx, l.Store, e)
}
