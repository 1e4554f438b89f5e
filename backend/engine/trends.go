package engine

import (
	"context"
	"time"

	"cockpit/backend/calendar"
	"cockpit/backend/incidents"
	"cockpit/backend/store"
)

// CheckTrends looks at today's and yesterday's contacts (local days) and stores a trend alert for any
// sub-type at or above the configured share; it returns the alerts that are new.
func (e *Engine) CheckTrends(ctx context.Context) ([]store.TrendAlert, error) {
	comp, err := e.Rules(ctx)
	if err != nil {
		return nil, err
	}
	today := calendar.DateOf(e.now(), comp.Loc)
	from, to := today.AddDays(-1).Start(comp.Loc), today.End(comp.Loc)
	rows, err := e.Store.CaseContacts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	contacts := make([]incidents.Contact, 0, len(rows))
	for _, r := range rows {
		contacts = append(contacts, incidents.Contact{Subtype: r.Subtype, At: r.At})
	}
	var fresh []store.TrendAlert
	for _, t := range incidents.Trends(contacts, comp.Loc, comp.Set.Trends.Share, comp.Set.Trends.MinContacts) {
		resp, ok := comp.Set.Trends.Response[t.Subtype]
		if !ok {
			resp = comp.Set.Trends.Response["default"]
		}
		a := store.TrendAlert{Day: t.Day.String(), Subtype: t.Subtype, Count: t.Count, Total: t.Total, Percent: t.Percent,
			Response: resp.ZH + " / " + resp.EN, CreatedAt: e.now()}
		created, err := e.Store.UpsertTrendAlert(ctx, a)
		if err != nil {
			return fresh, err
		}
		if created {
			fresh = append(fresh, a)
		}
	}
	return fresh, nil
}

// TrendAlerts lists the alerts of the last days (local), newest first.
func (e *Engine) TrendAlerts(ctx context.Context, days int) ([]store.TrendAlert, error) {
	comp, err := e.Rules(ctx)
	if err != nil {
		return nil, err
	}
	if days <= 0 {
		days = 7
	}
	since := calendar.DateOf(e.now().Add(-time.Duration(days)*24*time.Hour), comp.Loc)
	return e.Store.TrendAlerts(ctx, since.String())
}
