package app

import (
	"bytes"
	"context"
	"fmt"

	"cockpit/backend/audit"
	"cockpit/backend/cli"
	"cockpit/backend/people"
	"cockpit/backend/review"
	"cockpit/backend/rules"
)

// Review is the bound service of the daily review (每日复盘).
type Review struct {
	core  *Core
	Guard Guard // see Board.Guard; the CSV export is audited under the signed-in user
}

func (s *Review) service() (*review.Service, error) {
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	zone, err := cli.LoadZone(s.core.Global.Zone)
	if err != nil {
		return nil, err
	}
	rs, err := rules.Default()
	if err != nil {
		return nil, err
	}
	return &review.Service{Store: st, Zone: zone, Trends: rs.Trends, BatchCustomers: rs.Incidents.MinCustomers, Clock: s.core.Clock}, nil
}

// Get computes the review of the local days r.From..r.To (inclusive, "YYYY-MM-DD").
func (s *Review) Get(r review.Range) (review.Report, error) {
	if _, err := s.core.Require(people.Anyone...); err != nil {
		return review.Report{}, err
	}
	svc, err := s.service()
	if err != nil {
		return review.Report{}, err
	}
	return svc.Review(context.Background(), r)
}

// CSV returns the review's figures as CSV text (UTF-8 with BOM) for the frontend to save.
func (s *Review) CSV(r review.Range) (string, error) {
	svc, err := s.service()
	if err != nil {
		return "", err
	}
	who, err := signedIn(s.Guard)
	if err != nil {
		return "", err
	}
	rep, err := svc.Review(context.Background(), r)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := review.WriteCSV(&buf, rep); err != nil {
		return "", fmt.Errorf("review CSV: %w", err)
	}
	if err := audit.Record(context.Background(), svc.Store, audit.Entry{Actor: who.Username, Action: "review.export",
		ObjectType: "review", ObjectID: r.From + ".." + r.To, At: s.core.Clock.Now(), Detail: map[string]int{"bytes": buf.Len()}}); err != nil {
		return "", err
	}
	return buf.String(), nil
}
