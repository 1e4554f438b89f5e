package rt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cockpit/backend/ingest"
	"cockpit/backend/pii"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

// TokenKey names a source's token in the secrets store (the keyring or the 0600 file, never the database).
func TokenKey(sourceID int64) string { return "rt:source:" + strconv.FormatInt(sourceID, 10) }

// AddSource checks the settings, saves the source and stores its token; nothing is left behind when a
// step fails.
func AddSource(ctx context.Context, st *store.Store, sec secrets.Store, name string, set Settings, token string, now time.Time) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, errors.New("source name is required")
	}
	if err := set.Validate(); err != nil {
		return 0, err
	}
	if strings.TrimSpace(token) == "" {
		return 0, errors.New("rt: token is required")
	}
	cfg, err := json.Marshal(set)
	if err != nil {
		return 0, err
	}
	id, err := st.CreateSource(ctx, store.Source{Kind: "rt", Name: name, ConfigJSON: string(cfg), Enabled: true}, now)
	if err != nil {
		return 0, err
	}
	if err := sec.Set(TokenKey(id), strings.TrimSpace(token)); err != nil {
		if _, derr := st.DeleteSource(ctx, id); derr != nil {
			return 0, errors.Join(err, derr)
		}
		return 0, err
	}
	return id, nil
}

// Test connects with the settings and token and returns RT's version.
func Test(ctx context.Context, set Settings, token string, hc *http.Client) (string, error) {
	if err := set.Validate(); err != nil {
		return "", err
	}
	c, err := NewClient(set.BaseURL, token, hc)
	if err != nil {
		return "", err
	}
	return c.Ping(ctx)
}

// Connector is the ingest.Connector for kind "rt". Zendesk or Freshdesk connectors sit beside it the
// same way: read their settings from the source, pull with their own client, and hand every entry to
// Pipeline.IngestRecord with a stable external id.
type Connector struct {
	Secrets secrets.Store
	HTTP    *http.Client // nil: a client with a 60 s timeout
}

var _ ingest.Connector = (*Connector)(nil)

// ParseSettings reads and checks a source's config JSON.
func ParseSettings(configJSON string) (Settings, error) {
	var s Settings
	if err := json.Unmarshal([]byte(configJSON), &s); err != nil {
		return s, fmt.Errorf("rt settings: %w", err)
	}
	return s, s.Validate()
}

// SyncOnce pulls everything new from the source's RT into cases, then saves the cursor.
func (c *Connector) SyncOnce(ctx context.Context, p *ingest.Pipeline, src store.Source, progress ingest.ProgressFunc) (ingest.Stats, error) {
	var stats ingest.Stats
	set, err := ParseSettings(src.ConfigJSON)
	if err != nil {
		return stats, err
	}
	token, err := c.Secrets.Get(TokenKey(src.ID))
	if err != nil {
		return stats, fmt.Errorf("rt token of %q: %w", src.Name, err)
	}
	client, err := NewClient(set.BaseURL, token, c.HTTP)
	if err != nil {
		return stats, err
	}
	cur, err := p.Store.RTCursor(ctx, src.ID)
	if err != nil {
		return stats, err
	}
	report := func(phase string) {
		if progress != nil {
			progress(ingest.Progress{SourceID: src.ID, Source: src.Name, Folder: "tickets", Phase: phase, Done: stats.Fetched,
				Ingested: stats.Ingested, Duplicates: stats.Duplicates, Quarantined: stats.Quarantined})
		}
	}
	report("connect")
	puller := &Puller{Client: client, Settings: set}
	seen := func(ext string) (bool, error) { return p.Store.HasRawItem(ctx, src.ID, "", ext) }
	emit := func(e Entry) error {
		out, err := p.IngestRecord(ctx, ToRecord(src.ID, e))
		if err != nil {
			return err
		}
		stats.Add(out)
		report("fetch")
		return nil
	}
	res, err := puller.Pull(ctx, cur.LastUpdated, seen, emit)
	for _, e := range res.Errors {
		stats.Errors = append(stats.Errors, e.Error())
	}
	// The cursor only covers tickets handled without error, so it is saved even after a failure.
	if serr := p.Store.SaveRTCursor(context.WithoutCancel(ctx), store.RTCursor{SourceID: src.ID, LastUpdated: res.Cursor,
		Tickets: res.Tickets, Entries: res.Entries, UpdatedAt: p.Now()}); serr != nil {
		err = errors.Join(err, serr)
	}
	if err == nil && len(res.Errors) > 0 {
		err = fmt.Errorf("%d ticket(s) failed and will be retried: %w", len(res.Errors), res.Errors[0])
	}
	report("done")
	return stats, err
}

// ThreadKey is the key every transaction of one ticket shares, so they all join one case.
func ThreadKey(sourceID, ticketID int64) string {
	return fmt.Sprintf("rt-%d-ticket-%d@cockpit", sourceID, ticketID)
}

// ToRecord maps a ticket transaction to a pipeline record.
func ToRecord(sourceID int64, e Entry) ingest.Record {
	actor := e.Actor
	if strings.Contains(actor, "@") {
		actor = pii.Email(actor) // a requestor writing in: customer data
	}
	customer := ""
	if len(e.Ticket.Requestors) > 0 {
		customer = e.Ticket.Requestors[0]
	}
	files := make([]ingest.RecordFile, 0, len(e.Files))
	for _, f := range e.Files {
		files = append(files, ingest.RecordFile{Name: f.Name, ContentType: f.ContentType, Data: f.Data})
	}
	return ingest.Record{
		Item:          ingest.Item{SourceID: sourceID, ExternalID: e.ExternalID(), ReceivedAt: e.At},
		Kind:          "ticket",
		Raw:           e.Raw,
		Thread:        []string{ThreadKey(sourceID, e.Ticket.ID)},
		At:            e.At,
		Title:         e.Ticket.Subject,
		EventKind:     "ticket",
		Channel:       "helpdesk",
		Actor:         actor,
		Summary:       e.Summary,
		Body:          e.Body,
		BodyHTML:      e.BodyHTML,
		CustomerEmail: customer,
		Files:         files,
		Data: map[string]any{"rt_ticket": e.Ticket.ID, "rt_transaction": e.TxnID, "rt_type": e.Type,
			"rt_queue": e.Ticket.Queue, "rt_status": e.Ticket.Status, "rt_priority": e.Ticket.Priority},
	}
}
