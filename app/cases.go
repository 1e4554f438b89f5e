package app

import (
	"context"
	"fmt"

	"cockpit/backend/cases"
	"cockpit/backend/people"
)

// Cases is the bound service for case lists and case detail.
type Cases struct{ core *Core }

// ListQuery is what the board and the case list ask for.
type ListQuery struct {
	Query  string `json:"query"`
	Level  int    `json:"level"`
	Status string `json:"status"`
	Limit  int    `json:"limit"`
}

// CaseDetail is a case with its timeline.
type CaseDetail struct {
	Case     cases.Summary `json:"case"`
	Timeline []cases.Event `json:"timeline"`
}

// List returns masked case summaries.
func (s *Cases) List(q ListQuery) ([]cases.Summary, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	if q.Level < 0 || q.Level > 3 {
		return nil, fmt.Errorf("level must be 0-3")
	}
	f := cases.Filter{Query: q.Query, Level: cases.Level(q.Level), Limit: q.Limit}
	if q.Status != "" {
		f.Status = []cases.Status{cases.Status(q.Status)}
	}
	list, err := st.ListCases(context.Background(), f)
	if err != nil {
		return nil, err
	}
	out := make([]cases.Summary, 0, len(list))
	for _, c := range list {
		out = append(out, cases.Summarize(c, false))
	}
	return out, nil
}

// Get returns one case and its timeline.
func (s *Cases) Get(id int64) (CaseDetail, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return CaseDetail{}, err
	}
	st, err := s.core.ready()
	if err != nil {
		return CaseDetail{}, err
	}
	c, err := st.GetCase(context.Background(), id)
	if err != nil {
		return CaseDetail{}, err
	}
	events, err := st.CaseEvents(context.Background(), id)
	if err != nil {
		return CaseDetail{}, err
	}
	return CaseDetail{Case: cases.Summarize(c, false), Timeline: cases.MaskTimeline(events)}, nil
}
