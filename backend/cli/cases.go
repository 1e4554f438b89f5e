package cli

import (
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"

	"cockpit/backend/cases"
	"cockpit/backend/engine"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "cases", Summary: "list cases (--json: one JSON object per line)", Run: runCases})
	register(Command{Name: "case", Summary: "show one case and its timeline: case ID [--json]", Run: runCase})
}

func runCases(env *Env, args []string) error {
	fs := env.newFlags("cases")
	asJSON := fs.Bool("json", false, "one JSON object per case, one per line")
	status := fs.String("status", "", "only this status (open, pending, resolved, closed)")
	level := fs.Int("level", 0, "only this level (1-3)")
	query := fs.String("q", "", "search text")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *level < 0 || *level > 3 {
		return Usagef("--level must be 1, 2 or 3")
	}
	f := cases.Filter{Level: cases.Level(*level), Query: *query}
	if *status != "" {
		st := cases.Status(*status)
		switch st {
		case cases.StatusOpen, cases.StatusPending, cases.StatusResolved, cases.StatusClosed:
		default:
			return Usagef("--status must be open, pending, resolved or closed")
		}
		f.Status = []cases.Status{st}
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.ListCases(env.Ctx, f)
	if err != nil {
		return err
	}
	views, err := summaries(env, st, list)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, v := range views {
			if err := enc.Encode(v); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tSTATUS\tMSGS\tOWNER\tTITLE")
	for _, v := range views {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", v.ID, levelLabel(v.Level), v.Status, v.MessageCount, v.Owner, v.Title)
	}
	return tw.Flush()
}

func levelLabel(l cases.Level) string {
	if l == 0 {
		return "unknown"
	}
	return "L" + strconv.Itoa(int(l))
}

// summaries masks PII and attaches every clock with its due time, replayed now by the case engine.
func summaries(env *Env, st *store.Store, list []cases.Case) ([]cases.Summary, error) {
	deadlines, err := engine.New(st, env.Clock).Deadlines(env.Ctx, list)
	if err != nil {
		return nil, err
	}
	out := make([]cases.Summary, 0, len(list))
	for _, c := range list {
		v := cases.Summarize(c, false)
		if d := deadlines[c.ID]; d != nil {
			v.Deadlines = d
		}
		out = append(out, v)
	}
	return out, nil
}

func runCase(env *Env, args []string) error {
	fs := env.newFlags("case")
	asJSON := fs.Bool("json", false, "print JSON")
	// Accept "case 12 --json" as well as "case --json 12".
	var idArg string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		idArg, args = args[0], args[1:]
	}
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if idArg == "" && len(rest) > 0 {
		idArg, rest = rest[0], rest[1:]
	}
	if idArg == "" || len(rest) > 0 {
		return Usagef("usage: cockpit case ID [--json]")
	}
	id, err := strconv.ParseInt(idArg, 10, 64)
	if err != nil || id <= 0 {
		return Usagef("case id must be a positive number, got %q", idArg)
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.GetCase(env.Ctx, id)
	if err != nil {
		return err
	}
	events, err := st.CaseEvents(env.Ctx, id)
	if err != nil {
		return err
	}
	events = cases.MaskTimeline(events)
	views, err := summaries(env, st, []cases.Case{c})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			cases.Summary
			Timeline []cases.Event `json:"timeline"`
		}{views[0], events})
	}
	v := views[0]
	fmt.Fprintf(env.Stdout, "#%d %s\nlevel %s  status %s  owner %s  customer %s  order %s\n\n", v.ID, v.Title,
		levelLabel(v.Level), v.Status, v.Owner, v.Customer, v.OrderNo)
	for _, e := range events {
		fmt.Fprintf(env.Stdout, "%s  [%s/%s] %s\n", e.OccurredAt.In(env.Zone).Format("2006-01-02 15:04"), e.Kind, e.Channel, e.Summary)
	}
	return nil
}
