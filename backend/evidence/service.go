package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"cockpit/backend/blobs"
	"cockpit/backend/clocks"
)

// Actor is who acts; Role is one of the people roles (supervisor, legal, manager, admin).
type Actor struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// SeesOriginals says whether a role may see unmasked originals and export them: the legal liaison who
// files them with the regulator, and managers. Supervisors see masked previews.
func SeesOriginals(role string) bool { return role == "legal" || role == "manager" }

// ErrForbidden is returned when the actor's role does not allow an action.
var ErrForbidden = errors.New("not allowed for this role")

// Folder says whose evidence folder an item belongs to: a case, or an incident (a batch or SKU problem
// shared by many cases).
type Folder struct {
	CaseID     int64 `json:"case_id,omitempty"`
	IncidentID int64 `json:"incident_id,omitempty"`
}

func (f Folder) String() string {
	if f.CaseID != 0 {
		return "case " + strconv.FormatInt(f.CaseID, 10)
	}
	return "incident " + strconv.FormatInt(f.IncidentID, 10)
}

func (f Folder) valid() error {
	if (f.CaseID == 0) == (f.IncidentID == 0) || f.CaseID < 0 || f.IncidentID < 0 {
		return errors.New("evidence belongs to exactly one case or one incident")
	}
	return nil
}

// Original is something ingestion already stored that may join a case's folder.
type Original struct {
	Kind         Kind
	SHA256       string
	Size         int64
	Filename     string
	ContentType  string
	RawItemID    int64
	AttachmentID int64
}

// Repo is the storage the service needs; *store.Store implements it.
type Repo interface {
	// AddEvidence inserts it and its first custody entry, built by seal from the new id, in one
	// transaction. If the folder already holds these bytes it returns that item and created=false.
	AddEvidence(ctx context.Context, it Item, seal func(id int64) Custody) (Item, bool, error)
	// AppendCustody appends the entry build makes from the item's last entry, in one transaction.
	AppendCustody(ctx context.Context, itemID int64, build func(last *Custody) Custody) (Custody, error)
	GetEvidence(ctx context.Context, id int64) (Item, error)
	// ListEvidence lists a folder; the zero Folder lists every item.
	ListEvidence(ctx context.Context, f Folder) ([]Item, error)
	CustodyLogs(ctx context.Context, itemIDs []int64) (map[int64][]Custody, error)
	CaseOriginals(ctx context.Context, caseID int64) ([]Original, error)
}

// Auditor records decisions in the audit trail (backend/audit implements it).
type Auditor interface {
	Record(ctx context.Context, actor, action, objectType, objectID string, detail map[string]any) error
}

// Service is the evidence folder.
type Service struct {
	Repo  Repo
	Blobs *blobs.Store
	Clock clocks.Clock
	Audit Auditor
}

func (s *Service) audit(ctx context.Context, a Actor, action string, id int64, detail map[string]any) error {
	if err := s.Audit.Record(ctx, a.Name, action, "evidence", strconv.FormatInt(id, 10), detail); err != nil {
		return fmt.Errorf("audit %s of evidence %d: %w", action, id, err)
	}
	return nil
}

func (s *Service) add(ctx context.Context, a Actor, it Item) (Item, bool, error) {
	it.CapturedBy, it.CapturedAt = a.Name, s.Clock.Now().UTC()
	saved, created, err := s.Repo.AddEvidence(ctx, it, func(id int64) Custody {
		return Custody{ItemID: id, At: it.CapturedAt, Actor: a.Name, Action: ActionCaptured, Detail: Detail(map[string]any{
			"sha256": it.SHA256, "size": it.Size, "source": it.Source, "filename": it.Filename})}.Seal(nil)
	})
	if err != nil {
		return Item{}, false, fmt.Errorf("add %q to %s: %w", it.Filename, Folder{it.CaseID, it.IncidentID}, err)
	}
	if created {
		if err := s.audit(ctx, a, "evidence.capture", saved.ID, map[string]any{"sha256": saved.SHA256, "source": saved.Source}); err != nil {
			return saved, created, err
		}
	}
	return saved, created, nil
}

// AddFile stores r as a new original in the folder (a file dragged onto the case, a scan of a letter).
// Adding the same bytes again returns the existing item.
func (s *Service) AddFile(ctx context.Context, a Actor, f Folder, filename string, r io.Reader) (Item, bool, error) {
	if err := f.valid(); err != nil {
		return Item{}, false, err
	}
	if strings.TrimSpace(filename) == "" {
		return Item{}, false, errors.New("a file name is required")
	}
	sum, size, err := s.Blobs.Put(r)
	if err != nil {
		return Item{}, false, fmt.Errorf("store %q: %w", filename, err)
	}
	head, err := s.head(sum)
	if err != nil {
		return Item{}, false, err
	}
	it := Item{CaseID: f.CaseID, IncidentID: f.IncidentID, SHA256: sum, Size: size, Kind: KindUpload, Source: "upload",
		Filename: filename, ContentType: DetectType(filename, KindUpload, head)}
	return s.add(ctx, a, it)
}

func (s *Service) head(sum string) ([]byte, error) {
	fh, err := s.Blobs.Open(sum)
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", sum, err)
	}
	defer fh.Close()
	head := make([]byte, 4096)
	n, err := io.ReadFull(fh, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read blob %s: %w", sum, err)
	}
	return head[:n], nil
}

// Collect brings every original ingestion stored for the case (raw mail, tickets, letters and their
// attachments) into its folder. It is idempotent: a retry adds nothing twice. It returns how many joined.
func (s *Service) Collect(ctx context.Context, a Actor, caseID int64) (int, error) {
	origs, err := s.Repo.CaseOriginals(ctx, caseID)
	if err != nil {
		return 0, fmt.Errorf("originals of case %d: %w", caseID, err)
	}
	added := 0
	for _, o := range origs {
		it := Item{CaseID: caseID, SHA256: o.SHA256, Size: o.Size, Kind: o.Kind, Filename: o.Filename,
			ContentType: o.ContentType, RawItemID: o.RawItemID, AttachmentID: o.AttachmentID}
		if o.AttachmentID != 0 {
			it.Source = "attachment:" + strconv.FormatInt(o.AttachmentID, 10)
		} else {
			it.Source = "raw_item:" + strconv.FormatInt(o.RawItemID, 10)
		}
		if it.ContentType == "" || it.ContentType == "application/octet-stream" {
			head, err := s.head(o.SHA256)
			if err != nil {
				return added, err
			}
			it.ContentType = DetectType(o.Filename, o.Kind, head)
		}
		_, created, err := s.add(ctx, a, it)
		if err != nil {
			return added, err
		}
		if created {
			added++
		}
	}
	return added, nil
}

// List returns a folder's items.
func (s *Service) List(ctx context.Context, f Folder) ([]Item, error) {
	if err := f.valid(); err != nil {
		return nil, err
	}
	return s.Repo.ListEvidence(ctx, f)
}

// Custody returns an item's log, oldest first.
func (s *Service) Custody(ctx context.Context, itemID int64) ([]Custody, error) {
	logs, err := s.Repo.CustodyLogs(ctx, []int64{itemID})
	if err != nil {
		return nil, err
	}
	return logs[itemID], nil
}

// Log appends a custody entry for an item.
func (s *Service) Log(ctx context.Context, a Actor, itemID int64, action Action, detail map[string]any) error {
	_, err := s.Repo.AppendCustody(ctx, itemID, func(last *Custody) Custody {
		return Custody{ItemID: itemID, At: s.Clock.Now(), Actor: a.Name, Action: action, Detail: Detail(detail)}.Seal(last)
	})
	if err != nil {
		return fmt.Errorf("custody %s of evidence %d: %w", action, itemID, err)
	}
	return nil
}

// Open returns an item and its original bytes, refusing bytes that no longer match the recorded hash.
func (s *Service) open(ctx context.Context, itemID int64) (Item, []byte, error) {
	it, err := s.Repo.GetEvidence(ctx, itemID)
	if err != nil {
		return it, nil, err
	}
	data, err := s.Blobs.ReadAll(it.SHA256)
	if err != nil {
		return it, nil, fmt.Errorf("evidence %d %q: %w", it.ID, it.Filename, err)
	}
	if got := sumHex(data); got != it.SHA256 {
		return it, nil, fmt.Errorf("evidence %d %q: stored file changed (hashes to %s); run evidence verify", it.ID, it.Filename, got)
	}
	return it, data, nil
}

// Preview renders an item for the viewer and records the viewing. Roles that do not see originals get
// customer contact data masked.
func (s *Service) Preview(ctx context.Context, a Actor, itemID int64) (Preview, error) {
	it, data, err := s.open(ctx, itemID)
	if err != nil {
		return Preview{}, err
	}
	p := BuildPreview(it, data, !SeesOriginals(a.Role))
	if err := s.Log(ctx, a, it.ID, ActionViewed, map[string]any{"masked": p.Masked}); err != nil {
		return Preview{}, err
	}
	return p, nil
}

// Copy writes an original to w (a "save a copy" in the viewer) and records it.
func (s *Service) Copy(ctx context.Context, a Actor, itemID int64, w io.Writer, purpose string) (Item, error) {
	if !SeesOriginals(a.Role) {
		return Item{}, fmt.Errorf("copy evidence %d: %w (%s)", itemID, ErrForbidden, a.Role)
	}
	it, data, err := s.open(ctx, itemID)
	if err != nil {
		return it, err
	}
	if _, err := w.Write(data); err != nil {
		return it, fmt.Errorf("copy evidence %d: %w", itemID, err)
	}
	if err := s.Log(ctx, a, it.ID, ActionCopied, map[string]any{"purpose": purpose}); err != nil {
		return it, err
	}
	return it, s.audit(ctx, a, "evidence.copy", it.ID, map[string]any{"purpose": purpose})
}

// Redact makes a masked derived copy of a text or mail original. The original is not touched; its log
// records that a redacted copy was made and the copy's own log starts with its capture.
func (s *Service) Redact(ctx context.Context, a Actor, itemID int64) (Item, error) {
	it, data, err := s.open(ctx, itemID)
	if err != nil {
		return Item{}, err
	}
	out, ct, err := RedactedCopy(it, data)
	if err != nil {
		return Item{}, err
	}
	sum, size, err := s.Blobs.PutBytes(out)
	if err != nil {
		return Item{}, fmt.Errorf("store redacted copy of evidence %d: %w", it.ID, err)
	}
	copyItem, _, err := s.add(ctx, a, Item{CaseID: it.CaseID, IncidentID: it.IncidentID, SHA256: sum, Size: size,
		ContentType: ct, Kind: KindRedacted, Source: "redaction of evidence:" + strconv.FormatInt(it.ID, 10),
		Filename: RedactedName(it.Filename), DerivedFrom: it.ID})
	if err != nil {
		return Item{}, err
	}
	if err := s.Log(ctx, a, it.ID, ActionRedacted, map[string]any{"copy_id": copyItem.ID, "copy_sha256": sum}); err != nil {
		return Item{}, err
	}
	return copyItem, s.audit(ctx, a, "evidence.redact", it.ID, map[string]any{"copy_id": copyItem.ID})
}

// Verify re-hashes the files of a folder (the zero Folder: every item) and checks their custody logs.
func (s *Service) Verify(ctx context.Context, f Folder) (Report, error) {
	items, err := s.Repo.ListEvidence(ctx, f)
	if err != nil {
		return Report{}, err
	}
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	logs, err := s.Repo.CustodyLogs(ctx, ids)
	if err != nil {
		return Report{}, err
	}
	return Verify(items, logs, s.Blobs), nil
}

func sumHex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
