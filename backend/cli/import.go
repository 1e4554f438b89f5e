package cli

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"cockpit/backend/audit"
	"cockpit/backend/ingest/importer"
)

func init() {
	register(Command{Name: "import", Summary: "import a ticket export: import FILE [--preset zendesk|freshdesk|generic|12315] [--map field=Column]... [--preview] | import --list | import --undo ID --user U", Run: runImport})
}

// mapFlag collects --map field=Column.
type mapFlag importer.Mapping

func (m mapFlag) String() string { return fmt.Sprint(importer.Mapping(m)) }

func (m mapFlag) Set(v string) error {
	f, c, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(f) == "" {
		return fmt.Errorf("--map wants field=Column, got %q", v)
	}
	m[strings.TrimSpace(f)] = strings.TrimSpace(c)
	return nil
}

func runImport(env *Env, args []string) error {
	fs := env.newFlags("import")
	preset := fs.String("preset", "", "zendesk, freshdesk, generic or 12315 (default: guessed from the header)")
	overrides := mapFlag{}
	fs.Var(overrides, "map", "map a field to a column, e.g. --map body=问题描述 (repeatable; field= unmaps)")
	preview := fs.Bool("preview", false, "show the mapping, the first rows and every bad row; write nothing")
	undo := fs.Int64("undo", 0, "undo this import as a whole")
	list := fs.Bool("list", false, "list past imports")
	asJSON := fs.Bool("json", false, "print JSON")
	cred := env.credentialFlags(fs)
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *list:
		return importList(env, *asJSON)
	case *undo > 0:
		return importUndo(env, *undo, cred, *asJSON)
	case len(pos) != 1:
		return Usagef("usage: cockpit import FILE [--preset NAME] [--map field=Column]... [--preview] [--user U]")
	}
	if *preset != "" {
		if _, err := importer.PresetByName(*preset); err != nil {
			return UsageError{Msg: err.Error()}
		}
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	plan, err := importer.MakePlan(pos[0], data, *preset, nil, env.Zone)
	if err != nil {
		return err
	}
	if len(overrides) > 0 {
		m := plan.Map
		for f, c := range overrides {
			if c == "" {
				delete(m, f)
			} else {
				m[f] = c
			}
		}
		if plan, err = importer.MakePlan(pos[0], data, plan.Preset.Name, m, env.Zone); err != nil {
			return err
		}
	}
	if *preview {
		pv := plan.Preview(pos[0], 10)
		if *asJSON {
			return writeJSON(env, pv)
		}
		printPreview(env, pv)
		return nil
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	actor := "cli"
	if *cred.user != "" {
		u, err := cred.signIn(st)
		if err != nil {
			return err
		}
		actor = u.Username
	}
	p := NewPipeline(env, st)
	rep, err := importer.Import(env.Ctx, p, audit.Log{Store: st, Clock: env.Clock}, pos[0], data, plan, actor)
	if *asJSON {
		if jerr := writeJSON(env, rep); jerr != nil {
			return jerr
		}
	} else if rep.ImportID != 0 {
		fmt.Fprintf(env.Stdout, "import %d (%s): %d rows: %d imported (%d new cases), %d already there, %d bad\n",
			rep.ImportID, plan.Preset.Name, rep.Total, rep.Imported, rep.NewCases, rep.Duplicate, rep.Bad)
		for _, b := range rep.BadRows {
			fmt.Fprintf(env.Stdout, "  row %d: %s\n", b.Row, b.Reason)
		}
	}
	return err
}

func printPreview(env *Env, pv importer.Preview) {
	fmt.Fprintf(env.Stdout, "%s: %s %s, preset %s, %d rows (%d good, %d bad)\n", pv.Filename, pv.Format, pv.Encoding, pv.Preset, pv.Total, pv.Good, pv.Bad)
	if pv.MappingError != "" {
		fmt.Fprintf(env.Stdout, "mapping incomplete: %s\n", pv.MappingError)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tCOLUMN")
	for _, f := range importer.Fields {
		if c := pv.Mapping[f]; c != "" {
			fmt.Fprintf(tw, "%s\t%s\n", f, c)
		}
	}
	tw.Flush()
	for _, r := range pv.Rows {
		state := "ok"
		if r.Error != "" {
			state = "BAD: " + r.Error
		}
		fmt.Fprintf(env.Stdout, "row %d [%s] %s | %s\n", r.No, state, r.Fields[importer.FieldSubject], firstRunes(r.Fields[importer.FieldBody], 40))
	}
	for _, r := range pv.BadRows {
		fmt.Fprintf(env.Stdout, "bad row %d: %s\n", r.No, r.Error)
	}
}

func firstRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func importList(env *Env, asJSON bool) error {
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.ListImports(env.Ctx, 100)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(env, list)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tFILE\tPRESET\tROWS\tIMPORTED\tDUPLICATE\tBAD\tSTATUS\tBY")
	for _, im := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\n", im.ID, localTime(env, im.CreatedAt), im.Filename, im.Preset,
			im.RowsTotal, im.RowsImported, im.RowsDuplicate, im.RowsBad, im.Status, im.CreatedBy)
	}
	return tw.Flush()
}

func importUndo(env *Env, id int64, cred *credentials, asJSON bool) error {
	if *cred.user == "" {
		return Usagef("undoing an import is a decision on the record: give --user")
	}
	st, u, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := importer.Undo(env.Ctx, st, audit.Log{Store: st, Clock: env.Clock}, id, u.Username, env.Clock.Now())
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(env, res)
	}
	fmt.Fprintf(env.Stdout, "import %d undone: %d rows removed, %d cases removed, %d kept (in use, closed)\n", id, res.Rows, res.CasesRemoved, res.CasesKept)
	return nil
}
