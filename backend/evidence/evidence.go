// Package evidence keeps a case's (or an incident's) evidence folder: originals stored unchanged in the
// content-addressed blob store, each with an append-only, hash-chained chain-of-custody log, previews,
// redacted derived copies and exports whose file names can never escape the export.
package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"time"
)

// Kind says where an original came from.
type Kind string

const (
	KindEmail      Kind = "email"
	KindTicket     Kind = "ticket"
	KindLetter     Kind = "letter"
	KindImport     Kind = "import"
	KindAttachment Kind = "attachment"
	KindUpload     Kind = "upload"
	KindRedacted   Kind = "redacted"
)

// Action is what a custody entry records.
type Action string

const (
	ActionCaptured Action = "captured"
	ActionViewed   Action = "viewed"
	ActionExported Action = "exported"
	ActionCopied   Action = "copied"
	ActionRedacted Action = "redacted"
)

// Item is one piece of evidence. SHA256 addresses the unchanged original in the blob store.
type Item struct {
	ID           int64     `json:"id"`
	CaseID       int64     `json:"case_id,omitempty"`
	IncidentID   int64     `json:"incident_id,omitempty"`
	SHA256       string    `json:"sha256"`
	Size         int64     `json:"size"`
	ContentType  string    `json:"content_type"`
	Kind         Kind      `json:"kind"`
	Source       string    `json:"source"`
	Filename     string    `json:"filename"`
	RawItemID    int64     `json:"raw_item_id,omitempty"`
	AttachmentID int64     `json:"attachment_id,omitempty"`
	DerivedFrom  int64     `json:"derived_from,omitempty"`
	Note         string    `json:"note,omitempty"`
	CapturedBy   string    `json:"captured_by"`
	CapturedAt   time.Time `json:"captured_at"`
}

// Custody is one entry of an item's chain-of-custody log.
type Custody struct {
	ID       int64     `json:"id"`
	ItemID   int64     `json:"item_id"`
	Seq      int       `json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   Action    `json:"action"`
	Detail   string    `json:"detail"` // JSON object
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// ComputeHash is the entry's link in the chain: every field that means something, plus the previous
// link, so editing any field or removing an earlier entry shows. Times are hashed in the stored form
// (millisecond UTC) so that a read-back entry hashes the same.
func (c Custody) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{strconv.FormatInt(c.ItemID, 10), strconv.Itoa(c.Seq),
		c.At.UTC().Format("2006-01-02T15:04:05.000Z"), c.Actor, string(c.Action), c.Detail, c.PrevHash} {
		// Length-prefixed fields: no choice of field contents can collide with another split.
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Seal fills Seq, PrevHash and Hash so that c follows prev (nil for the first entry).
func (c Custody) Seal(prev *Custody) Custody {
	c.Seq, c.PrevHash = 1, ""
	if prev != nil {
		c.Seq, c.PrevHash = prev.Seq+1, prev.Hash
	}
	c.At = c.At.UTC().Truncate(time.Millisecond)
	c.Hash = c.ComputeHash()
	return c
}

// Problem kinds reported by Verify.
const (
	ProblemFileChanged   = "file_changed"
	ProblemFileMissing   = "file_missing"
	ProblemCustodyEdited = "custody_edited"
	ProblemCustodyBroken = "custody_broken" // an entry was removed or re-sealed: the link to the previous one fails
	ProblemItemEdited    = "item_edited"    // the item row no longer matches what its capture entry sealed
)

// Problem is one finding of Verify, naming the item and, for custody problems, the entry.
type Problem struct {
	Kind      string `json:"kind"`
	ItemID    int64  `json:"item_id"`
	Filename  string `json:"filename"`
	SHA256    string `json:"sha256"`
	CustodyID int64  `json:"custody_id,omitempty"`
	Seq       int    `json:"seq,omitempty"`
	Detail    string `json:"detail"`
}

func (p Problem) String() string {
	s := fmt.Sprintf("%s: evidence %d %q", p.Kind, p.ItemID, p.Filename)
	if p.CustodyID != 0 {
		s += fmt.Sprintf(" custody entry %d (seq %d)", p.CustodyID, p.Seq)
	}
	return s + ": " + p.Detail
}

// Report is the outcome of Verify.
type Report struct {
	Items    int       `json:"items"`
	Entries  int       `json:"entries"`
	Problems []Problem `json:"problems"`
}

// OK says whether nothing was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// BlobChecker re-hashes a stored original; *blobs.Store implements it.
type BlobChecker interface {
	Verify(sum string) error
}

// verifyChain checks one item's log and returns its problems. Exactness matters: an edited entry still
// carries its old hash, so the next entry's link (to that stored hash) holds and only the edited entry is
// named; an entry re-sealed after editing, or a removed one, breaks the next link instead.
func verifyChain(it Item, log []Custody) []Problem {
	var out []Problem
	add := func(kind string, c Custody, detail string) {
		out = append(out, Problem{Kind: kind, ItemID: it.ID, Filename: it.Filename, SHA256: it.SHA256,
			CustodyID: c.ID, Seq: c.Seq, Detail: detail})
	}
	if len(log) == 0 {
		out = append(out, Problem{Kind: ProblemCustodyBroken, ItemID: it.ID, Filename: it.Filename, SHA256: it.SHA256,
			Detail: "the custody log is empty (its capture entry was removed)"})
		return out
	}
	for i, c := range log {
		if c.ItemID != it.ID {
			add(ProblemCustodyEdited, c, fmt.Sprintf("entry belongs to item %d", c.ItemID))
			continue
		}
		if c.ComputeHash() != c.Hash {
			add(ProblemCustodyEdited, c, "entry content does not match its hash")
		}
		wantSeq, wantPrev := 1, ""
		if i > 0 {
			wantSeq, wantPrev = log[i-1].Seq+1, log[i-1].Hash
		}
		switch {
		case c.Seq != wantSeq:
			add(ProblemCustodyBroken, c, fmt.Sprintf("sequence jumps to %d, expected %d (entries removed)", c.Seq, wantSeq))
		case c.PrevHash != wantPrev:
			add(ProblemCustodyBroken, c, "link to the previous entry does not match (an earlier entry was altered and re-sealed)")
		}
	}
	first := log[0]
	if first.Action != ActionCaptured {
		add(ProblemCustodyBroken, first, "the log does not start with the capture entry")
	} else if sum := detailField(first.Detail, "sha256"); sum != "" && sum != it.SHA256 {
		out = append(out, Problem{Kind: ProblemItemEdited, ItemID: it.ID, Filename: it.Filename, SHA256: it.SHA256,
			CustodyID: first.ID, Seq: first.Seq, Detail: fmt.Sprintf("captured as %s but the record now says %s", sum, it.SHA256)})
	}
	return out
}

// Verify re-hashes every item's stored file and checks every custody chain.
func Verify(items []Item, logs map[int64][]Custody, blobs BlobChecker) Report {
	r := Report{Items: len(items), Problems: []Problem{}}
	for _, it := range items {
		if err := blobs.Verify(it.SHA256); err != nil {
			kind := ProblemFileChanged
			if isNotExist(err) {
				kind = ProblemFileMissing
			}
			r.Problems = append(r.Problems, Problem{Kind: kind, ItemID: it.ID, Filename: it.Filename, SHA256: it.SHA256, Detail: err.Error()})
		}
		r.Entries += len(logs[it.ID])
		r.Problems = append(r.Problems, verifyChain(it, logs[it.ID])...)
	}
	return r
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// detailField reads one string field of a custody entry's JSON detail ("" when absent or unreadable:
// an unreadable detail already fails its hash).
func detailField(detail, key string) string {
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil {
		return ""
	}
	s, _ := m[key].(string)
	return s
}

// Detail renders a custody detail object as JSON.
func Detail(kv map[string]any) string {
	if len(kv) == 0 {
		return "{}"
	}
	b, err := json.Marshal(kv)
	if err != nil {
		return "{}"
	}
	return string(b)
}
