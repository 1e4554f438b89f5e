package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"cockpit/backend/engine"
	"cockpit/backend/filings"
)

func init() {
	register(Command{Name: "filing", Summary: "regulator filings: filing show|scenario|create|link|sign|status|export CASE --out DIR", Run: runFiling})
}

const filingUsage = `usage:
  cockpit filing show CASE [--json]                      checklists, matters, deadlines, what is missing
  cockpit filing scenario CASE NAME --user U             add a scenario checklist (not_received, returns_short, quality, allergy, promotion)
  cockpit filing create CASE --type T --received DATE [--regulator R] [--work-order N] [--title T] [--owner LEGAL] --user U
        types: complaint_forwarded odr_dispute regulator_inquiry mediation recall_report
        DATE: YYYY-MM-DD or "YYYY-MM-DD HH:MM" in the display zone
  cockpit filing link ITEM EVIDENCE --user U             tick a checklist item with evidence (E12 or 12)
  cockpit filing sign ITEM [--note TEXT] [--withdraw] --user U
  cockpit filing status MATTER draft|ready|submitted|replied|closed --user U
  cockpit filing export CASE --out DIR --user U          packet PDF (Chinese) + evidence ZIP with manifest.json
--user's password comes from --password-env VAR or the first line of stdin.`

func runFiling(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("%s", filingUsage)
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "show":
		return runFilingShow(env, rest)
	case "scenario", "create", "link", "sign", "status", "export":
		return runFilingAct(env, sub, rest)
	case "help":
		fmt.Fprintln(env.Stdout, filingUsage)
		return nil
	}
	return Usagef("unknown filing subcommand %q\n%s", sub, filingUsage)
}

func runFilingShow(env *Env, args []string) error {
	fs := env.newFlags("filing show")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("usage: cockpit filing show CASE [--json]")
	}
	caseID, err := parseID("CASE", pos[0])
	if err != nil {
		return err
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	ws, err := newLegalWorkspace(env, st)
	if err != nil {
		return err
	}
	cf, err := ws.fl.Case(env.Ctx, caseID)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, cf)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	items := func(list []filings.Item, states map[int64]string) {
		for _, it := range list {
			var evs []string
			for _, id := range it.EvidenceIDs {
				evs = append(evs, fmt.Sprintf("E%d", id))
			}
			signed := ""
			if it.SignedBy != "" {
				signed = it.SignedBy + " " + localTime(env, it.SignedAt)
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", it.ID, states[it.ID], it.ZH, strings.Join(evs, ","), signed)
		}
	}
	fmt.Fprintf(tw, "case %d scenario checklist\n", caseID)
	items(cf.Checklist, cf.States)
	for _, m := range cf.Matters {
		fmt.Fprintf(tw, "matter %d\t%s\t%s\treceived %s\towner %s\t%s\n", m.ID, m.Type, m.Status, localTime(env, m.ReceivedAt), m.Owner, m.Rule.ID)
		for _, d := range m.Deadlines {
			due := d.DueDate + " 24:00"
			if d.State == "unknown" {
				due = d.Error
			}
			fmt.Fprintf(tw, "  deadline\t%s\t%s\t%s\t%s\n", d.State, d.ZH, due, d.Source)
		}
		items(m.Items, m.States)
	}
	if len(cf.Missing) > 0 {
		fmt.Fprintln(tw, "missing:")
		for _, x := range cf.Missing {
			fmt.Fprintf(tw, "  %s\n", x.ZH)
		}
	}
	return tw.Flush()
}

// parseLocal reads a date or date and time in the display zone.
func parseLocal(env *Env, s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, env.Zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, Usagef("--received %q: want YYYY-MM-DD or \"YYYY-MM-DD HH:MM\"", s)
}

func runFilingAct(env *Env, sub string, args []string) error {
	fs := env.newFlags("filing " + sub)
	cred := env.credentialFlags(fs)
	typ := fs.String("type", "", "matter type (create)")
	received := fs.String("received", "", "when the regulator's matter was received (create)")
	regulator := fs.String("regulator", "", "the regulator's name (create)")
	workOrder := fs.String("work-order", "", "12315 work order number (create)")
	title := fs.String("title", "", "matter title (create; default: the type's name)")
	owner := fs.String("owner", "", "the legal liaison who owns the matter (create; default: --user)")
	note := fs.String("note", "", "sign-off note (sign)")
	withdraw := fs.Bool("withdraw", false, "withdraw a sign-off (sign)")
	out := fs.String("out", "", "directory for the packet (export)")
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"scenario": 2, "create": 1, "link": 2, "sign": 1, "status": 2, "export": 1}[sub]
	if len(pos) != want || (sub == "export" && *out == "") || (sub == "create" && (*typ == "" || *received == "")) {
		return Usagef("%s", filingUsage)
	}
	first, err := parseID("the first argument", strings.TrimPrefix(pos[0], "E"))
	if err != nil {
		return err
	}
	var receivedAt time.Time
	if sub == "create" {
		if receivedAt, err = parseLocal(env, *received); err != nil {
			return err
		}
	}
	st, u, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	ws, err := newLegalWorkspace(env, st)
	if err != nil {
		return err
	}
	a := actorOf(u)
	switch sub {
	case "scenario":
		n, err := ws.fl.ApplyScenario(env.Ctx, a, first, pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d checklist item(s) added to case %d\n", n, first)
	case "create":
		m, err := ws.fl.CreateMatter(env.Ctx, a, filings.NewMatter{CaseID: first, Type: filings.MatterType(*typ), Title: *title,
			Regulator: *regulator, WorkOrderNo: *workOrder, ReceivedAt: receivedAt, Owner: *owner})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "matter %d opened (%s, %s, owner %s)\n", m.ID, m.Type, filings.RuleInForce(m.ReceivedAt, env.Zone).ID, m.Owner)
	case "link":
		ev, err := parseID("EVIDENCE", strings.TrimPrefix(pos[1], "E"))
		if err != nil {
			return err
		}
		if err := ws.fl.Link(env.Ctx, a, first, ev); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "E%d linked to checklist item %d\n", ev, first)
	case "sign":
		if *withdraw {
			if err := ws.fl.Unsign(env.Ctx, a, first, *note); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "sign-off of item %d withdrawn\n", first)
			return nil
		}
		if err := ws.fl.Sign(env.Ctx, a, first, *note); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "item %d signed off by %s\n", first, a.Name)
	case "status":
		m, err := ws.fl.SetStatus(env.Ctx, a, first, filings.Status(pos[1]))
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "matter %d is %s\n", m.ID, m.Status)
	case "export":
		font, err := filings.LoadCJKFont(env.Getenv("COCKPIT_PDF_FONT"))
		if err != nil {
			return err
		}
		x := &filings.Exporter{Filings: ws.fl, Evidence: ws.ev, Cases: st, Font: font,
			Clocks: filings.EngineClocks{Cases: st, Deadlines: engine.New(st, env.Clock).Deadlines}}
		res, err := x.Export(env.Ctx, a, first, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s\n%s (%d originals and manifest.json)\n", res.PDF, res.ZIP, len(res.Manifest.Files))
	}
	return nil
}
