package replies

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"unicode/utf8"

	"cockpit/backend/audit"
	"cockpit/backend/clocks"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// ScriptsPath is where the default scripts live inside the assets FS.
const ScriptsPath = "rules/replies.json"

// Script is one library entry.
type Script = store.ReplyScript

// LoadDefaults reads the shipped scripts at ScriptsPath in fsys (assets.Rules in the app).
func LoadDefaults(fsys fs.FS) ([]Script, error) {
	b, err := fs.ReadFile(fsys, ScriptsPath)
	if err != nil {
		return nil, fmt.Errorf("default scripts: %w", err)
	}
	var doc struct {
		Scripts []Script `json:"scripts"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("default scripts: %w", err)
	}
	seen := map[string]bool{}
	for _, s := range doc.Scripts {
		if err := validScript(s); err != nil {
			return nil, fmt.Errorf("default scripts: %w", err)
		}
		if seen[s.Key] {
			return nil, fmt.Errorf("default scripts: duplicate key %q", s.Key)
		}
		seen[s.Key] = true
	}
	return doc.Scripts, nil
}

var keyRe = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_-]+)*$`)

// Limits on library entries.
const (
	MaxTitle = 80
	MaxBody  = 4000
)

func validScript(s Script) error {
	switch {
	case !keyRe.MatchString(s.Key) || len(s.Key) > 80:
		return invalidf("script key %q must be lower-case words separated by dots", s.Key)
	case s.Lang != "zh-CN" && s.Lang != "en":
		return invalidf("script %s: language must be zh-CN or en", s.Key)
	case strings.TrimSpace(s.Category) == "":
		return invalidf("script %s: needs a category", s.Key)
	case strings.TrimSpace(s.Title) == "" || utf8.RuneCountInString(s.Title) > MaxTitle:
		return invalidf("script %s: title must be 1-%d characters", s.Key, MaxTitle)
	case strings.TrimSpace(s.Body) == "" || utf8.RuneCountInString(s.Body) > MaxBody:
		return invalidf("script %s: text must be 1-%d characters", s.Key, MaxBody)
	}
	return nil
}

// ErrInvalid marks input the user must fix; ErrForbidden a role that may not act.
var (
	ErrInvalid   = errors.New("invalid request")
	ErrForbidden = errors.New("not allowed")
)

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// PhraseError is returned when a script or reply contains forbidden phrases; the findings say where.
type PhraseError struct{ Findings []Finding }

func (e *PhraseError) Error() string {
	var texts []string
	for _, f := range e.Findings {
		texts = append(texts, "“"+f.Text+"”")
	}
	return "contains forbidden phrases: " + strings.Join(texts, ", ")
}

// CanEditLibrary: supervisors run the phrasing their team uses; managers and admins oversee it. The
// legal liaison reads and uses scripts but does not edit them.
func CanEditLibrary(role string) bool {
	return role == "supervisor" || role == "manager" || role == "admin"
}

// Service is the reply desk.
type Service struct {
	Store    *store.Store
	Clock    clocks.Clock
	Checker  *Checker
	Defaults []Script
}

// EnsureDefaults adds the shipped scripts that the library has never held (idempotent).
func (s *Service) EnsureDefaults(ctx context.Context) error {
	return s.Store.InsertDefaultScripts(ctx, s.Defaults, s.Clock.Now())
}

// Scripts lists the library, optionally one language.
func (s *Service) Scripts(ctx context.Context, lang string) ([]Script, error) {
	if lang != "" && lang != "zh-CN" && lang != "en" {
		return nil, invalidf("language must be zh-CN or en")
	}
	return s.Store.ReplyScripts(ctx, lang)
}

// SaveScript creates or edits a script. A script is what agents send under time pressure, so it must
// itself pass the forbidden-phrase check.
func (s *Service) SaveScript(ctx context.Context, who people.User, sc Script) (Script, error) {
	if !CanEditLibrary(who.Role) {
		return Script{}, fmt.Errorf("%w: role %q may not edit the script library", ErrForbidden, who.Role)
	}
	sc.Key, sc.Title, sc.Category = strings.TrimSpace(sc.Key), strings.TrimSpace(sc.Title), strings.TrimSpace(sc.Category)
	sc.Body = strings.TrimSpace(sc.Body)
	if err := validScript(sc); err != nil {
		return Script{}, err
	}
	if f := s.Checker.Check(sc.Body); len(f) > 0 {
		return Script{}, &PhraseError{Findings: f}
	}
	if f := s.Checker.Check(sc.Title); len(f) > 0 {
		return Script{}, invalidf("the title contains the forbidden phrase “%s”", f[0].Text)
	}
	sc.UpdatedBy = who.Username
	now := s.Clock.Now()
	return s.Store.SaveReplyScript(ctx, sc, now, func(tx *sql.Tx) error {
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: who.Username, Action: "script.save", ObjectType: "reply_script",
			ObjectID: sc.Key, At: now, Detail: map[string]string{"title": sc.Title, "body": sc.Body, "lang": sc.Lang}})
	})
}

// DeleteScript hides a script from the library.
func (s *Service) DeleteScript(ctx context.Context, who people.User, key string) error {
	if !CanEditLibrary(who.Role) {
		return fmt.Errorf("%w: role %q may not edit the script library", ErrForbidden, who.Role)
	}
	now := s.Clock.Now()
	return s.Store.DeleteReplyScript(ctx, key, who.Username, now, func(tx *sql.Tx) error {
		return audit.RecordTx(ctx, tx, audit.Entry{Actor: who.Username, Action: "script.delete", ObjectType: "reply_script", ObjectID: key, At: now})
	})
}

// Draft is a reply written on a case, possibly started from a script.
type Draft struct {
	CaseID    int64  `json:"caseId"`
	Body      string `json:"body"`
	Channel   string `json:"channel"`   // email (default) | helpdesk | regulator
	ScriptKey string `json:"scriptKey"` // the script it started from, if any
	// Override records the reply although it has forbidden phrases (the findings are kept with it
	// and the override is audited). Without it such a draft is refused and the findings returned.
	Override bool `json:"override"`
}

// RecordResult is what happened to a draft: recorded (with its event id) or held back by findings.
type RecordResult struct {
	Recorded bool      `json:"recorded"`
	EventID  int64     `json:"eventId"`
	Findings []Finding `json:"findings"`
}

// Record checks d and, if clean or overridden, appends it to the case timeline as a "reply" event.
// Everyone signed in may record replies (the legal liaison drafts regulator replies).
func (s *Service) Record(ctx context.Context, who people.User, d Draft) (RecordResult, error) {
	d.Body = strings.TrimSpace(d.Body)
	switch {
	case who.Username == "":
		return RecordResult{}, invalidf("sign in first")
	case d.CaseID <= 0:
		return RecordResult{}, invalidf("no case given")
	case d.Body == "" || utf8.RuneCountInString(d.Body) > 20000:
		return RecordResult{}, invalidf("a reply needs 1-20000 characters")
	}
	switch d.Channel {
	case "":
		d.Channel = "email"
	case "email", "helpdesk", "regulator":
	default:
		return RecordResult{}, invalidf("unknown channel %q", d.Channel)
	}
	findings := s.Checker.Check(d.Body)
	res := RecordResult{Findings: findings}
	if len(findings) > 0 && !d.Override {
		return res, nil
	}
	data, err := json.Marshal(map[string]any{"script": d.ScriptKey, "findings": findings, "override": len(findings) > 0})
	if err != nil {
		return res, fmt.Errorf("encode reply data: %w", err)
	}
	summary := []rune(strings.Join(strings.Fields(d.Body), " "))
	if len(summary) > 80 {
		summary = append(summary[:80], '…')
	}
	now := s.Clock.Now()
	res.EventID, err = s.Store.AddCaseReply(ctx, store.CaseReply{CaseID: d.CaseID, Actor: who.Username, At: now, Channel: d.Channel,
		Summary: string(summary), Body: d.Body, DataJSON: string(data)},
		func(tx *sql.Tx, eventID int64) error {
			action := "reply.record"
			if len(findings) > 0 {
				action = "reply.override"
			}
			return audit.RecordTx(ctx, tx, audit.Entry{Actor: who.Username, Action: action, ObjectType: "case",
				ObjectID: fmt.Sprint(d.CaseID), At: now,
				Detail: map[string]any{"event": eventID, "script": d.ScriptKey, "findings": len(findings)}})
		})
	if err != nil {
		return res, err
	}
	res.Recorded = true
	return res, nil
}
