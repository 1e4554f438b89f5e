package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"cockpit/backend/calendar"
	"cockpit/backend/engine"
	"cockpit/backend/rules"
)

func init() {
	register(Command{Name: "deadline", Summary: "end of N working days or N days after a date, on the China holiday calendar (--json)", Run: runDeadline})
	register(Command{Name: "reclassify", Summary: "re-run the case engine (levels, flags, incidents, clocks) on open cases (--all: every case, --case ID)", Run: runReclassify})
}

// deadlineRules are the rules in effect: the workspace's saved version when there is a workspace (an
// admin may have added next year's holiday table), else the shipped defaults. No workspace is created.
func deadlineRules(env *Env) (*rules.Compiled, error) {
	if _, err := os.Stat(filepath.Join(env.DataDir, "cockpit.db")); err == nil {
		st, err := env.OpenRead()
		if err != nil {
			return nil, err
		}
		defer st.Close()
		return engine.New(st, env.Clock).Rules(env.Ctx)
	}
	return rules.CompileDefault()
}

func runDeadline(env *Env, args []string) error {
	fs := env.newFlags("deadline")
	from := fs.String("from", "", "trigger date YYYY-MM-DD (counting starts the next day)")
	wd := fs.Int("working-days", 0, "count this many working days")
	days := fs.Int("days", 0, "count this many calendar days")
	extend := fs.String("extend", "", "when --days ends on a rest day: none, holidays or rest_days (default: the rules')")
	asJSON := fs.Bool("json", false, `print {"due_date","due_at","skipped"}`)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *from == "" {
		return Usagef("--from is required (YYYY-MM-DD)")
	}
	if (*wd > 0) == (*days > 0) {
		return Usagef("give exactly one of --working-days N or --days N (N > 0)")
	}
	comp, err := deadlineRules(env)
	if err != nil {
		return err
	}
	ans, err := engine.ComputeDeadline(comp, engine.DeadlineQuery{From: *from, WorkingDays: *wd, Days: *days, Extend: *extend})
	if year, unknown := calendar.IsUnknownYear(err); unknown {
		// Exit code 2, naming the year: a date is never guessed.
		return Usagef("no holiday table for %d: cannot count days in %d (years with tables: %v)", year, year, comp.Calendar.Years())
	}
	if errors.Is(err, engine.ErrInvalid) {
		return Usagef("%v", err)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(ans)
	}
	period := fmt.Sprintf("%d working days", *wd)
	if *days > 0 {
		period = fmt.Sprintf("%d days", *days)
	}
	fmt.Fprintf(env.Stdout, "%s after %s: due %s 24:00 (%s)\n", period, *from, ans.DueDate, comp.Loc)
	if len(ans.Skipped) == 0 {
		fmt.Fprintln(env.Stdout, "skipped: none")
		return nil
	}
	var parts []string
	for _, d := range ans.Skipped {
		s := d.Date.String() + " " + string(d.Kind)
		if d.Name != "" {
			s += " " + d.Name
		}
		parts = append(parts, s)
	}
	fmt.Fprintf(env.Stdout, "skipped %d: %s\n", len(parts), strings.Join(parts, ", "))
	return nil
}

func runReclassify(env *Env, args []string) error {
	fs := env.newFlags("reclassify")
	all := fs.Bool("all", false, "every case, not only open ones")
	one := fs.Int64("case", 0, "only this case")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	eng := engine.New(st, env.Clock)
	var out any
	if *one != 0 {
		if out, err = eng.Refresh(env.Ctx, *one); err != nil {
			return err
		}
	} else {
		sum, err := eng.RefreshAll(env.Ctx, !*all)
		if err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintf(env.Stdout, "%d cases refreshed, %d changed, %d in incidents\n", sum.Cases, sum.Changed, sum.Incidents)
			for _, e := range sum.Errors {
				fmt.Fprintln(env.Stderr, "error:", e)
			}
			if len(sum.Errors) > 0 {
				return fmt.Errorf("%d cases could not be refreshed", len(sum.Errors))
			}
			return nil
		}
		out = sum
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
