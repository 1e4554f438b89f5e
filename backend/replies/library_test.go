package replies

import (
	"cockpit/backend/people"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"cockpit/assets"
	"cockpit/backend/audit"
	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

var t0 = time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)

func newService(t *testing.T) (*Service, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.ReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	defaults, err := LoadDefaults(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	svc := &Service{Store: st, Clock: &clocks.Fixed{T: t0}, Checker: checker(t), Defaults: defaults}
	ids, err := st.InsertSynthetic(ctx, []store.SyntheticCase{{Title: "奶粉结块", Type: "product", Level: 1, CustomerName: "王小明", OpenedAt: t0.Add(-time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	return svc, ids[0]
}

// The library's own phrasings must never trip the check the library exists to support.
func TestDefaultScriptsAreClean(t *testing.T) {
	c := checker(t)
	defaults, err := LoadDefaults(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	if len(defaults) < 20 {
		t.Fatalf("only %d default scripts", len(defaults))
	}
	langs := map[string]int{}
	for _, s := range defaults {
		langs[s.Lang]++
		if f := c.Check(s.Title + "\n" + s.Body); len(f) > 0 {
			t.Errorf("default script %s contains forbidden phrases: %+v", s.Key, f)
		}
		if s.Source == "" {
			t.Errorf("default script %s does not say which manual it comes from", s.Key)
		}
	}
	if langs["zh-CN"] == 0 || langs["en"] == 0 {
		t.Errorf("languages %v", langs)
	}
	// Every suggestion of a rule names a real script.
	keys := map[string]bool{}
	for _, s := range defaults {
		keys[s.Key] = true
	}
	for _, r := range c.Rules() {
		if r.Suggest != "" && !keys[r.Suggest] {
			t.Errorf("rule %s suggests unknown script %s", r.ID, r.Suggest)
		}
	}
}

func TestLibraryEditsSurviveRestart(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	sup := people.User{Username: "alice", Role: "supervisor"}
	if err := svc.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := svc.Scripts(ctx, "")
	if err != nil || len(all) != len(svc.Defaults) {
		t.Fatalf("scripts %d (%v), want %d", len(all), err, len(svc.Defaults))
	}
	edited, err := svc.SaveScript(ctx, sup, Script{Key: "ack.received.zh", Category: "acknowledge", Lang: "zh-CN", Title: "受理确认",
		Body: "您的问题已收到，客服将在10分钟内联系您。"})
	if err != nil || edited.Default || edited.UpdatedBy != "alice" {
		t.Fatalf("edit: %+v %v", edited, err)
	}
	if err := svc.DeleteScript(ctx, sup, "safety.recall.zh"); err != nil {
		t.Fatal(err)
	}
	if err := svc.EnsureDefaults(ctx); err != nil { // a restart
		t.Fatal(err)
	}
	got, err := svc.Store.ReplyScript(ctx, "ack.received.zh")
	if err != nil || got.Body != "您的问题已收到，客服将在10分钟内联系您。" {
		t.Errorf("edit lost on restart: %+v %v", got, err)
	}
	if _, err := svc.Store.ReplyScript(ctx, "safety.recall.zh"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted default came back: %v", err)
	}
	zh, _ := svc.Scripts(ctx, "zh-CN")
	en, _ := svc.Scripts(ctx, "en")
	if len(zh)+len(en) != len(svc.Defaults)-1 {
		t.Errorf("zh %d + en %d after one delete of %d", len(zh), len(en), len(svc.Defaults))
	}
	rows, err := svc.Store.ListAudit(ctx, store.AuditFilter{ObjectType: "reply_script"})
	if err != nil || len(rows) != 2 || rows[0].Action != "script.delete" || rows[1].Action != "script.save" {
		t.Errorf("audit %+v %v", rows, err)
	}
}

func TestSaveScriptRefusals(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	sup := people.User{Username: "alice", Role: "supervisor"}
	good := Script{Key: "x.new", Category: "waiting", Lang: "zh-CN", Title: "新话术", Body: "我现在马上帮您查询。"}
	var pe *PhraseError
	bad := good
	bad.Body = "请稍等，我去问问。"
	if _, err := svc.SaveScript(ctx, sup, bad); !errors.As(err, &pe) || len(pe.Findings) != 1 || pe.Findings[0].Text != "稍等" {
		t.Errorf("forbidden body: %v", err)
	}
	if _, err := svc.SaveScript(ctx, people.User{Username: "lee", Role: "legal"}, good); !errors.Is(err, ErrForbidden) {
		t.Errorf("legal may not edit: %v", err)
	}
	for name, mod := range map[string]func(*Script){
		"bad key":      func(s *Script) { s.Key = "Bad Key" },
		"bad lang":     func(s *Script) { s.Lang = "fr" },
		"empty body":   func(s *Script) { s.Body = "  " },
		"no category":  func(s *Script) { s.Category = "" },
		"long title":   func(s *Script) { s.Title = string(make([]rune, MaxTitle+1)) },
		"banned title": func(s *Script) { s.Title = "稍等用语" },
	} {
		s := good
		mod(&s)
		if _, err := svc.SaveScript(ctx, sup, s); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := svc.DeleteScript(ctx, sup, "no.such"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete unknown: %v", err)
	}
}

func TestRecordReply(t *testing.T) {
	svc, caseID := newService(t)
	ctx := context.Background()
	who := people.User{Username: "alice", Role: "supervisor"}

	// A draft with 稍等 is held back with its findings; nothing is written.
	res, err := svc.Record(ctx, who, Draft{CaseID: caseID, Body: "亲，稍等，我帮您查询。"})
	if err != nil || res.Recorded || len(res.Findings) != 1 || res.Findings[0].Rule != "wait" {
		t.Fatalf("held back: %+v %v", res, err)
	}
	events, _ := svc.Store.CaseEvents(ctx, caseID)
	if len(events) != 0 {
		t.Fatalf("a held-back draft was written: %+v", events)
	}

	// A clean draft is recorded as a reply event with an audit entry.
	res, err = svc.Record(ctx, who, Draft{CaseID: caseID, Body: "非常抱歉给您带来困扰，2小时内由主管联系您解决。", ScriptKey: "escalate.threat.zh"})
	if err != nil || !res.Recorded || res.EventID == 0 || len(res.Findings) != 0 {
		t.Fatalf("clean: %+v %v", res, err)
	}
	// Overridden: recorded, findings kept, override audited.
	res, err = svc.Record(ctx, who, Draft{CaseID: caseID, Body: "稍等", Override: true})
	if err != nil || !res.Recorded || len(res.Findings) != 1 {
		t.Fatalf("override: %+v %v", res, err)
	}
	events, _ = svc.Store.CaseEvents(ctx, caseID)
	if len(events) != 2 || events[0].Kind != "reply" || events[0].Actor != "alice" || events[0].Channel != "email" {
		t.Fatalf("events %+v", events)
	}
	rows, err := svc.Store.ListAudit(ctx, store.AuditFilter{ObjectType: "case", ObjectID: fmt.Sprint(caseID)})
	if err != nil || len(rows) != 2 || rows[0].Action != "reply.override" || rows[1].Action != "reply.record" {
		t.Fatalf("audit %+v %v", rows, err)
	}
	if rep, err := audit.Verify(ctx, svc.Store); err != nil || !rep.OK {
		t.Errorf("audit chain: %+v %v", rep, err)
	}

	if _, err := svc.Record(ctx, who, Draft{CaseID: 999, Body: "您好"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown case: %v", err)
	}
	for name, d := range map[string]Draft{
		"empty":   {CaseID: caseID, Body: " "},
		"no case": {Body: "您好"},
		"channel": {CaseID: caseID, Body: "您好", Channel: "fax"},
	} {
		if _, err := svc.Record(ctx, who, d); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
