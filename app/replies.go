package app

import (
	"context"
	"sync"

	"cockpit/assets"
	"cockpit/backend/people"
	"cockpit/backend/replies"
	"cockpit/backend/store"
)

// Replies is the bound service of the reply desk: the script library, the forbidden-phrase check
// (live, as the supervisor types) and recording a drafted reply on the case.
//
// Events: "case:reply" {caseId, eventId} after a reply is recorded; "scripts:changed" after an edit.
type Replies struct {
	core  *Core
	Guard Guard // see Board.Guard

	loadOnce sync.Once
	checker  *replies.Checker
	defaults []replies.Script
	loadErr  error

	mu     sync.Mutex
	seeded *store.Store // the store the defaults were last ensured in
}

func (s *Replies) service() (*replies.Service, error) {
	s.loadOnce.Do(func() {
		if s.checker, s.loadErr = replies.LoadChecker(assets.Rules); s.loadErr == nil {
			s.defaults, s.loadErr = replies.LoadDefaults(assets.Rules)
		}
	})
	if s.loadErr != nil {
		return nil, s.loadErr
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	svc := &replies.Service{Store: st, Clock: s.core.Clock, Checker: s.checker, Defaults: s.defaults}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seeded != st {
		if err := svc.EnsureDefaults(context.Background()); err != nil {
			return nil, err
		}
		s.seeded = st
	}
	return svc, nil
}

// Check returns the forbidden phrases in a draft with UTF-16 spans and explanations (zh-CN and en).
func (s *Replies) Check(text string) ([]replies.Finding, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	if _, err := s.service(); err != nil {
		return nil, err
	}
	return s.checker.Check(text), nil
}

// Rules lists the forbidden-phrase rules (for the help panel).
func (s *Replies) Rules() ([]replies.Rule, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	if _, err := s.service(); err != nil {
		return nil, err
	}
	return s.checker.Rules(), nil
}

// Scripts lists the library; lang "" for all, or "zh-CN" / "en".
func (s *Replies) Scripts(lang string) ([]replies.Script, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	svc, err := s.service()
	if err != nil {
		return nil, err
	}
	return svc.Scripts(context.Background(), lang)
}

// SaveScript creates or edits a script (refused with the findings if it has forbidden phrases).
func (s *Replies) SaveScript(sc replies.Script) (replies.Script, error) {
	svc, err := s.service()
	if err != nil {
		return replies.Script{}, err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return replies.Script{}, err
	}
	out, err := svc.SaveScript(context.Background(), who, sc)
	if err != nil {
		return replies.Script{}, err
	}
	s.core.Events.Emit("scripts:changed", out.Key)
	return out, nil
}

// DeleteScript hides a script from the library.
func (s *Replies) DeleteScript(key string) error {
	svc, err := s.service()
	if err != nil {
		return err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return err
	}
	if err := svc.DeleteScript(context.Background(), who, key); err != nil {
		return err
	}
	s.core.Events.Emit("scripts:changed", key)
	return nil
}

// Record checks a draft and records it on the case unless it has forbidden phrases and no override;
// the result carries the findings either way.
func (s *Replies) Record(d replies.Draft) (replies.RecordResult, error) {
	svc, err := s.service()
	if err != nil {
		return replies.RecordResult{}, err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return replies.RecordResult{}, err
	}
	res, err := svc.Record(context.Background(), who, d)
	if err != nil {
		return replies.RecordResult{}, err
	}
	if res.Recorded {
		s.core.Events.Emit("case:reply", map[string]int64{"caseId": d.CaseID, "eventId": res.EventID})
	}
	return res, nil
}
