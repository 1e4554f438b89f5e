package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "audit", Summary: "audit trail: audit verify [--json] | audit list [--object TYPE[:ID]] [--actor U] [--limit N] [--json]", Run: runAudit})
}

// errAuditBroken makes `audit verify` exit 1 after printing what it found.
type errAuditBroken struct{ n int }

func (e errAuditBroken) Error() string {
	return fmt.Sprintf("the audit chain is broken: %d problem(s)", e.n)
}

func runAudit(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("usage: cockpit audit verify|list [flags]")
	}
	switch args[0] {
	case "verify":
		return runAuditVerify(env, args[1:])
	case "list":
		return runAuditList(env, args[1:])
	}
	return Usagef("unknown audit subcommand %q (verify, list)", args[0])
}

func runAuditVerify(env *Env, args []string) error {
	fs := env.newFlags("audit verify")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := audit.Verify(env.Ctx, st)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if rep.OK {
		fmt.Fprintf(env.Stdout, "audit chain intact: %d rows, head row %d\n", rep.Rows, rep.HeadID)
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintf(env.Stdout, "%s\trow %d\t%s\n", p.Kind, p.ID, p.Message)
		}
	}
	if !rep.OK {
		return errAuditBroken{len(rep.Problems)}
	}
	return nil
}

func runAuditList(env *Env, args []string) error {
	fs := env.newFlags("audit list")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	object := fs.String("object", "", "only this object: TYPE or TYPE:ID (e.g. case:12, compensation)")
	actor := fs.String("actor", "", "only this actor")
	action := fs.String("action", "", "only this action (e.g. compensation.approve)")
	limit := fs.Int("limit", 100, "newest N entries (0: all)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *limit < 0 {
		return Usagef("--limit must be 0 or more")
	}
	f := store.AuditFilter{Actor: *actor, Action: *action, Limit: *limit}
	if *object != "" {
		f.ObjectType, f.ObjectID, _ = strings.Cut(*object, ":")
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	rows, err := st.ListAudit(env.Ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, r := range rows {
			if err := enc.Encode(struct {
				store.AuditRow
				Detail json.RawMessage `json:"detail"`
			}{r, json.RawMessage(r.DetailJSON)}); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAT\tACTOR\tACTION\tOBJECT\tDETAIL")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s:%s\t%s\n", r.ID, localTime(env, r.At), r.Actor, r.Action, r.ObjectType, r.ObjectID, r.DetailJSON)
	}
	return tw.Flush()
}

func localTime(env *Env, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(env.Zone).Format("2006-01-02 15:04:05")
}
