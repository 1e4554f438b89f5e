package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/cases"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/imapsync"
	"cockpit/backend/ingest/mailparse"
	"cockpit/backend/people"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

// Sources is the bound service for IMAP accounts: list with per-folder status, add, change, remove,
// test connection, run now, the quarantine with retry, and sanitised HTML of a message for the sandboxed
// iframe. While the window is open every enabled account is kept in sync with IDLE (see mailSync).
//
// Events: "sync:progress" (ingest.Progress, at most a few per second per folder), "sources:changed" after
// an account or its status changed, "cases:changed" when mail was ingested.
type Sources struct{ core *Core }

// AccountDTO is an IMAP account as the settings page shows it; the password never leaves the backend.
type AccountDTO struct {
	ID             int64            `json:"id"`
	Name           string           `json:"name"`
	Enabled        bool             `json:"enabled"`
	Account        imapsync.Account `json:"account"`
	Folders        []store.Folder   `json:"folders"`
	LastRunAt      time.Time        `json:"lastRunAt"`
	LastError      string           `json:"lastError"`
	SecretsBackend string           `json:"secretsBackend"`
}

// AccountRequest is the add/edit form. Password "" on edit keeps the stored one; on test it uses it.
type AccountRequest struct {
	ID       int64             `json:"id"`
	Name     string            `json:"name"`
	Enabled  bool              `json:"enabled"`
	Account  imapsync.Account  `json:"account"`
	Folders  []imapsync.Folder `json:"folders"`
	Password string            `json:"password"`
}

// QuarantineDTO is a message that could not be read, with why.
type QuarantineDTO struct {
	ID         int64     `json:"id"`
	SourceID   int64     `json:"sourceId"`
	Folder     string    `json:"folder"`
	UID        string    `json:"uid"`
	Size       int64     `json:"size"`
	Error      string    `json:"error"`
	Attempts   int       `json:"attempts"`
	IngestedAt time.Time `json:"ingestedAt"`
}

// MessageHTML is a message body ready for `<iframe sandbox srcdoc=...>`: sanitised, inline images
// embedded, remote images blocked by the CSP unless allowRemote.
type MessageHTML struct {
	Document      string `json:"document"`
	CSP           string `json:"csp"`
	HasRemote     bool   `json:"hasRemote"`
	RemoteAllowed bool   `json:"remoteAllowed"`
}

func (s *Sources) secrets() (secrets.Store, error) {
	return secrets.Open(s.core.Global.DataDir, os.Getenv("COCKPIT_SECRETS"))
}

func (s *Sources) audit(st *store.Store, actor, action, id string, detail map[string]any) error {
	return audit.Log{Store: st, Clock: s.core.Clock}.Record(context.Background(), actor, action, "source", id, detail)
}

// ListAccounts returns every IMAP account with its folders' sync status.
func (s *Sources) ListAccounts() ([]AccountDTO, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	sec, err := s.secrets()
	if err != nil {
		return nil, err
	}
	srcs, err := st.ListSources(context.Background(), "imap")
	if err != nil {
		return nil, err
	}
	out := make([]AccountDTO, 0, len(srcs))
	for _, src := range srcs {
		a, err := imapsync.AccountOf(src)
		if err != nil {
			return nil, err
		}
		out = append(out, AccountDTO{ID: src.ID, Name: src.Name, Enabled: src.Enabled, Account: a, Folders: src.Folders,
			LastRunAt: src.LastRunAt, LastError: src.LastError, SecretsBackend: sec.Backend()})
	}
	return out, nil
}

// AddAccount saves a new account (password to the keyring or secret file) and starts syncing it.
func (s *Sources) AddAccount(req AccountRequest) (int64, error) {
	u, err := s.core.Require(people.Admin, people.Manager)
	if err != nil {
		return 0, err
	}
	st, err := s.core.ready()
	if err != nil {
		return 0, err
	}
	sec, err := s.secrets()
	if err != nil {
		return 0, err
	}
	id, err := imapsync.AddAccount(context.Background(), st, sec, req.Name, req.Account, req.Folders, req.Password, s.core.Clock.Now())
	if err != nil {
		return 0, err
	}
	if err := s.audit(st, u.Username, "source.add", fmt.Sprint(id), map[string]any{"name": req.Name, "host": req.Account.Host, "folders": req.Folders}); err != nil {
		return id, err
	}
	s.core.Events.Emit("sources:changed", nil)
	return id, s.core.restartMailSync()
}

// UpdateAccount changes an account's settings, folders or password. A folder that becomes a regulator
// folder makes the cases of the mail it already gave regulator matters; it returns how many.
func (s *Sources) UpdateAccount(req AccountRequest) (int, error) {
	u, err := s.core.Require(people.Admin, people.Manager)
	if err != nil {
		return 0, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return 0, err
	}
	sec, err := s.secrets()
	if err != nil {
		return 0, err
	}
	ctx := context.Background()
	nowRegulator, err := imapsync.UpdateAccount(ctx, st, sec, req.ID, req.Account, req.Folders, req.Enabled, req.Password)
	if err != nil {
		return 0, err
	}
	if err := s.audit(st, u.Username, "source.update", fmt.Sprint(req.ID), map[string]any{"host": req.Account.Host,
		"folders": req.Folders, "enabled": req.Enabled, "password_changed": req.Password != ""}); err != nil {
		return 0, err
	}
	s.core.Events.Emit("sources:changed", nil)
	marked := 0
	var markErr error
	for _, folder := range nowRegulator {
		n, err := p.MarkFolderRegulator(ctx, req.ID, folder, u.Username)
		if err == nil {
			err = s.audit(st, u.Username, "source.folder_regulator", fmt.Sprint(req.ID), map[string]any{"folder": folder, "cases_marked": n})
		}
		marked += n
		if err != nil {
			markErr = err
			break
		}
	}
	if marked > 0 {
		s.core.Events.Emit("cases:changed", nil)
	}
	// The saved settings take effect even if marking failed: the watchers restart on them either way.
	return marked, errors.Join(markErr, s.core.restartMailSync())
}

// RemoveAccount deletes an account, or disables it when its mail already fed cases (that mail stays).
func (s *Sources) RemoveAccount(id int64) (bool, error) {
	u, err := s.core.Require(people.Admin, people.Manager)
	if err != nil {
		return false, err
	}
	st, err := s.core.ready()
	if err != nil {
		return false, err
	}
	sec, err := s.secrets()
	if err != nil {
		return false, err
	}
	deleted, err := imapsync.RemoveAccount(context.Background(), st, sec, id)
	if err != nil {
		return false, err
	}
	if err := s.audit(st, u.Username, "source.remove", fmt.Sprint(id), map[string]any{"deleted": deleted}); err != nil {
		return deleted, err
	}
	s.core.Events.Emit("sources:changed", nil)
	return deleted, s.core.restartMailSync()
}

// TestConnection tries the form's settings (or a saved account's, when ID is set and Password is empty)
// and reports capabilities and folder counts.
func (s *Sources) TestConnection(req AccountRequest) (imapsync.TestResult, error) {
	if _, err := s.core.Require(people.Admin, people.Manager); err != nil {
		return imapsync.TestResult{}, err
	}
	password := req.Password
	if password == "" && req.ID != 0 {
		sec, err := s.secrets()
		if err != nil {
			return imapsync.TestResult{}, err
		}
		if password, err = sec.Get(imapsync.SecretKey(req.ID)); err != nil {
			return imapsync.TestResult{}, err
		}
	}
	if password == "" {
		return imapsync.TestResult{}, errors.New("password is required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return imapsync.Test(ctx, req.Account, password, req.Folders)
}

// RunNowDTO is what "sync now" did: the sync's counts, or that a sync of the account was running already
// (the watcher's, or the click before), whose progress the page shows; a click does not queue behind it.
type RunNowDTO struct {
	Stats          ingest.Stats `json:"stats"`
	AlreadyRunning bool         `json:"already_running"`
}

// RunNow syncs one account immediately and returns what it brought in.
func (s *Sources) RunNow(id int64) (RunNowDTO, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return RunNowDTO{}, err
	}
	p, _, err := s.core.intake()
	if err != nil {
		return RunNowDTO{}, err
	}
	sec, err := s.secrets()
	if err != nil {
		return RunNowDTO{}, err
	}
	st, err := imapsync.SyncNow(context.Background(), imapsync.Deps{Pipeline: p, Secrets: sec}, id, s.core.progressEmitter())
	if errors.Is(err, imapsync.ErrSyncing) {
		return RunNowDTO{AlreadyRunning: true}, nil
	}
	s.core.Events.Emit("sources:changed", nil)
	if st.Ingested > 0 {
		s.core.Events.Emit("cases:changed", nil)
	}
	return RunNowDTO{Stats: st}, err
}

// Quarantine lists messages that could not be read (newest first).
func (s *Sources) Quarantine(limit int) ([]QuarantineDTO, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	items, err := st.ListRawItems(context.Background(), store.RawItemFilter{Status: ingest.StatusQuarantined, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]QuarantineDTO, 0, len(items))
	for _, r := range items {
		out = append(out, QuarantineDTO{ID: r.ID, SourceID: r.SourceID, Folder: r.Folder, UID: r.ExternalID, Size: r.Size,
			Error: r.Error, Attempts: r.Attempts, IngestedAt: r.IngestedAt})
	}
	return out, nil
}

// Retry parses a quarantined message again (useful after an upgrade).
func (s *Sources) Retry(rawID int64) (ingest.Outcome, error) {
	u, err := s.core.Require(people.CaseWorkers...)
	if err != nil {
		return ingest.Outcome{}, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return ingest.Outcome{}, err
	}
	out, err := p.Retry(context.Background(), rawID)
	if err != nil {
		return out, err
	}
	if err := (audit.Log{Store: st, Clock: s.core.Clock}).Record(context.Background(), u.Username, "raw_item.retry", "raw_item", fmt.Sprint(rawID),
		map[string]any{"status": out.Status, "case_id": out.CaseID}); err != nil {
		return out, err
	}
	s.core.Events.Emit("sources:changed", nil)
	if out.Status == ingest.StatusIngested {
		s.core.Events.Emit("cases:changed", nil)
	}
	return out, nil
}

var (
	cidRe    = regexp.MustCompile(`(?i)(src\s*=\s*["']?)cid:([^"'\s>]+)`)
	remoteRe = regexp.MustCompile(`(?i)(src|background)\s*=\s*["']?https?:`)
)

// maxInlineImage bounds what is embedded as a data: URI so one message cannot balloon the window.
const maxInlineImage = 4 << 20

// MessageHTML returns a timeline event's HTML for the sandboxed iframe: already sanitised at ingest,
// inline (cid:) images embedded as data: URIs, and a CSP that blocks every network load unless
// allowRemote (the user clicked "show remote images"). Nothing in it can call the Wails bindings: the
// iframe is sandboxed without allow-scripts and the CSP forbids scripts too.
func (s *Sources) MessageHTML(eventID int64, allowRemote bool) (MessageHTML, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return MessageHTML{}, err
	}
	st, err := s.core.ready()
	if err != nil {
		return MessageHTML{}, err
	}
	body, rawID, err := st.EventHTML(context.Background(), eventID)
	if err != nil {
		return MessageHTML{}, err
	}
	if body == "" {
		return MessageHTML{}, nil
	}
	// Sanitise again on the way out: rows written by older versions or other importers are covered too.
	body = mailparse.Sanitize(body)
	atts, err := st.Attachments(context.Background(), 0, rawID)
	if err != nil {
		return MessageHTML{}, err
	}
	byCID := map[string]store.AttachmentRow{}
	for _, a := range atts {
		if a.ContentID != "" && strings.HasPrefix(a.ContentType, "image/") && a.Size <= maxInlineImage {
			byCID[a.ContentID] = a
		}
	}
	s.core.mu.RLock()
	bl := s.core.Blobs
	s.core.mu.RUnlock()
	body = cidRe.ReplaceAllStringFunc(body, func(m string) string {
		sub := cidRe.FindStringSubmatch(m)
		a, ok := byCID[sub[2]]
		if !ok {
			return m
		}
		data, err := bl.ReadAll(a.SHA256)
		if err != nil {
			return m
		}
		return sub[1] + "data:" + html.EscapeString(a.ContentType) + ";base64," + base64.StdEncoding.EncodeToString(data)
	})
	csp := mailparse.CSP(allowRemote)
	doc := `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="` +
		html.EscapeString(csp) + `"><base target="_blank"><style>body{font-family:sans-serif;font-size:14px;margin:8px;word-wrap:break-word}img{max-width:100%}</style></head><body>` +
		body + `</body></html>`
	return MessageHTML{Document: doc, CSP: csp, HasRemote: remoteRe.MatchString(body), RemoteAllowed: allowRemote}, nil
}

// mailSync keeps every enabled IMAP account synced (IDLE) while the window is open.
type mailSync struct {
	mu  sync.Mutex
	mgr *imapsync.Manager
}

// progressEmitter throttles sync progress to the UI: at most one event per folder every 200 ms, plus
// every phase change and the last item.
func (c *Core) progressEmitter() ingest.ProgressFunc {
	var mu sync.Mutex
	last := map[string]time.Time{}
	return func(p ingest.Progress) {
		key := fmt.Sprintf("%d/%s", p.SourceID, p.Folder)
		mu.Lock()
		now := time.Now()
		skip := p.Phase == "fetch" && p.Done != p.Total && now.Sub(last[key]) < 200*time.Millisecond
		if !skip {
			last[key] = now
		}
		mu.Unlock()
		if !skip {
			c.Events.Emit("sync:progress", p)
		}
	}
}

// startMailSync starts the IDLE watchers for the open workspace.
func (c *Core) startMailSync() error {
	p, _, err := c.intake()
	if err != nil {
		return err
	}
	sec, err := secrets.Lazy(c.Global.DataDir, os.Getenv("COCKPIT_SECRETS"))
	if err != nil {
		return err
	}
	mgr := &imapsync.Manager{Deps: imapsync.Deps{Pipeline: p, Secrets: sec}, Progress: c.progressEmitter(),
		OnSynced: func(id int64, st ingest.Stats, err error) {
			c.Events.Emit("sources:changed", map[string]any{"sourceId": id})
			if st.Ingested > 0 {
				c.Events.Emit("cases:changed", nil)
			}
		}}
	c.mail.mu.Lock()
	defer c.mail.mu.Unlock()
	if c.mail.mgr != nil {
		c.mail.mgr.Stop()
	}
	c.mail.mgr = mgr
	return mgr.Start(context.Background())
}

// restartMailSync picks up changed accounts; a no-op when the watchers were never started (tests).
func (c *Core) restartMailSync() error {
	c.mail.mu.Lock()
	running := c.mail.mgr != nil
	c.mail.mu.Unlock()
	if !running {
		return nil
	}
	return c.startMailSync()
}

// stopMailSync ends the watchers (window closing).
func (c *Core) stopMailSync() {
	c.mail.mu.Lock()
	defer c.mail.mu.Unlock()
	if c.mail.mgr != nil {
		c.mail.mgr.Stop()
		c.mail.mgr = nil
	}
}

// OrderPatterns is the order-number patterns page: the patterns new mail is linked with (the saved ones,
// or the built-in ones when none are saved) and the built-in list to start again from.
type OrderPatterns struct {
	Patterns []cases.OrderPattern `json:"patterns"`
	Defaults []cases.OrderPattern `json:"defaults"`
	Custom   bool                 `json:"custom"` // false: the built-in list applies
}

// OrderPatterns returns the order-number patterns in force.
func (s *Sources) OrderPatterns() (OrderPatterns, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return OrderPatterns{}, err
	}
	st, err := s.core.ready()
	if err != nil {
		return OrderPatterns{}, err
	}
	js, err := st.OrderPatternsJSON(context.Background())
	if err != nil {
		return OrderPatterns{}, err
	}
	out := OrderPatterns{Patterns: cases.DefaultOrderPatterns, Defaults: cases.DefaultOrderPatterns}
	if strings.TrimSpace(js) != "" {
		// Into a new slice: decoding into out.Patterns would write over the built-in list it shares.
		var saved []cases.OrderPattern
		if err := json.Unmarshal([]byte(js), &saved); err != nil {
			return OrderPatterns{}, fmt.Errorf("saved order patterns: %w", err)
		}
		out.Patterns, out.Custom = saved, true
	}
	return out, nil
}

// TestOrderPatterns runs patterns (not saved) over a sample text and returns the order numbers they find,
// so that an edit can be tried before it changes how mail is linked.
func (s *Sources) TestOrderPatterns(patterns []cases.OrderPattern, text string) ([]cases.OrderRef, error) {
	if _, err := s.core.Require(people.Admin, people.Manager); err != nil {
		return nil, err
	}
	m, err := orderMatcher(patterns)
	if err != nil {
		return nil, err
	}
	return append([]cases.OrderRef{}, m.Find(text)...), nil
}

// SaveOrderPatterns replaces the order-number patterns (tried in order, the first capture group is the
// number); nil or empty goes back to the built-in list. Mail ingested from now on is linked with them;
// cases already linked stay as they are. The audit entry keeps the list saved.
func (s *Sources) SaveOrderPatterns(patterns []cases.OrderPattern) error {
	u, err := s.core.Require(people.Admin, people.Manager)
	if err != nil {
		return err
	}
	st, err := s.core.ready()
	if err != nil {
		return err
	}
	js := ""
	if len(patterns) > 0 {
		if _, err := orderMatcher(patterns); err != nil {
			return err
		}
		b, err := json.Marshal(patterns)
		if err != nil {
			return err
		}
		js = string(b)
	}
	if err := st.SetOrderPatternsJSON(context.Background(), js); err != nil {
		return err
	}
	detail := map[string]any{"patterns": patterns, "defaults": js == ""}
	log := audit.Log{Store: st, Clock: s.core.Clock}
	if err := log.Record(context.Background(), u.Username, "order_patterns.save", "settings", store.OrderPatternsKey, detail); err != nil {
		return err
	}
	s.core.Events.Emit("orderpatterns:changed", nil)
	return nil
}

// orderMatcher checks an edited list: every pattern named and compiling with a capture group.
func orderMatcher(patterns []cases.OrderPattern) (*cases.OrderMatcher, error) {
	if len(patterns) == 0 {
		return nil, errors.New("add at least one pattern, or reset to the built-in list")
	}
	for i, p := range patterns {
		if strings.TrimSpace(p.Platform) == "" || strings.TrimSpace(p.Regexp) == "" {
			return nil, fmt.Errorf("pattern %d: a platform name and an expression are both needed", i+1)
		}
	}
	return cases.NewOrderMatcher(patterns)
}
