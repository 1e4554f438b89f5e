package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"cockpit/backend/audit"
	"cockpit/backend/blobs"
	"cockpit/backend/evidence"
	"cockpit/backend/filings"
	"cockpit/backend/people"
	"cockpit/backend/rules"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "evidence", Summary: "evidence folders: evidence verify [CASE] | add CASE FILE | list CASE | export CASE --out FILE.zip", Run: runEvidence})
}

const evidenceUsage = `usage:
  cockpit evidence verify [CASE] [--json]              re-hash stored files, check custody chains (exit 1 on problems)
  cockpit evidence add CASE FILE... --user U           add files to a case's folder (--incident ID instead of CASE)
  cockpit evidence collect CASE --user U               bring the case's ingested mail and attachments into its folder
  cockpit evidence list CASE [--json]
  cockpit evidence custody ITEM [--json]
  cockpit evidence export CASE --out FILE.zip --user U originals plus manifest.json (legal liaison, manager)
--user's password comes from --password-env VAR or the first line of stdin.`

func runEvidence(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("%s", evidenceUsage)
	}
	switch args[0] {
	case "verify":
		return runEvidenceVerify(env, args[1:])
	case "add":
		return runEvidenceAdd(env, args[1:])
	case "collect":
		return runEvidenceCollect(env, args[1:])
	case "list":
		return runEvidenceList(env, args[1:])
	case "custody":
		return runEvidenceCustody(env, args[1:])
	case "export":
		return runEvidenceExport(env, args[1:])
	case "help":
		fmt.Fprintln(env.Stdout, evidenceUsage)
		return nil
	}
	return Usagef("unknown evidence subcommand %q\n%s", args[0], evidenceUsage)
}

// positionals parses flags that may come before, between or after positional arguments.
func positionals(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		for len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			pos, args = append(pos, args[0]), args[1:]
		}
		if len(args) == 0 {
			return pos, nil
		}
		rest, err := parse(fs, args)
		if err != nil {
			return nil, err
		}
		if len(rest) == len(args) {
			return append(pos, rest...), nil
		}
		args = rest
	}
}

func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, Usagef("%s must be a positive number, got %q", what, s)
	}
	return id, nil
}

// legalWorkspace builds the evidence and filing services over an open store.
type legalWorkspace struct {
	st *store.Store
	ev *evidence.Service
	fl *filings.Service
}

func newLegalWorkspace(env *Env, st *store.Store) (*legalWorkspace, error) {
	compiled, err := rules.CompileDefault()
	if err != nil {
		return nil, err
	}
	log := audit.Log{Store: st, Clock: env.Clock}
	return &legalWorkspace{st: st,
		ev: &evidence.Service{Repo: st, Blobs: blobs.New(filepath.Join(env.DataDir, "blobs")), Clock: env.Clock, Audit: log},
		fl: &filings.Service{Repo: st, Templates: filings.DefaultTemplates(), Calendar: compiled.Calendar, Clock: env.Clock,
			Zone: env.Zone, Audit: log},
	}, nil
}

// actorOf is who acts with which role, for the evidence and filing services.
func actorOf(u people.User) evidence.Actor { return evidence.Actor{Name: u.Username, Role: u.Role} }

func writeJSON(env *Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func runEvidenceVerify(env *Env, args []string) error {
	fs := env.newFlags("evidence verify")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	var folder evidence.Folder
	switch len(pos) {
	case 0:
	case 1:
		if folder.CaseID, err = parseID("CASE", pos[0]); err != nil {
			return err
		}
	default:
		return Usagef("usage: cockpit evidence verify [CASE] [--json]")
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
	rep, err := ws.ev.Verify(env.Ctx, folder)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(env, rep); err != nil {
			return err
		}
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintln(env.Stdout, p.String())
		}
		if rep.OK() {
			fmt.Fprintf(env.Stdout, "evidence intact: %d items, %d custody entries\n", rep.Items, rep.Entries)
		}
	}
	if !rep.OK() {
		return fmt.Errorf("%d problem(s) in %d evidence items", len(rep.Problems), rep.Items)
	}
	return nil
}

func runEvidenceAdd(env *Env, args []string) error {
	fs := env.newFlags("evidence add")
	incident := fs.Int64("incident", 0, "add to this incident's folder instead of a case's")
	displayName := fs.String("name", "", "display name (default: the file's base name; only with one file)")
	cred := env.credentialFlags(fs)
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	var folder evidence.Folder
	if *incident > 0 {
		folder.IncidentID = *incident
	} else if len(pos) > 0 {
		if folder.CaseID, err = parseID("CASE", pos[0]); err != nil {
			return err
		}
		pos = pos[1:]
	}
	if folder == (evidence.Folder{}) || len(pos) == 0 || (*displayName != "" && len(pos) > 1) {
		return Usagef("usage: cockpit evidence add CASE FILE... --user U  (or --incident ID FILE...)")
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
	var failed []error
	for _, path := range pos {
		name := filepath.Base(path)
		if *displayName != "" {
			name = *displayName
		}
		// One unreadable file is reported and the others still go in.
		err := func() error {
			fh, err := os.Open(path)
			if err != nil {
				return err
			}
			defer fh.Close()
			it, created, err := ws.ev.AddFile(env.Ctx, actorOf(u), folder, name, fh)
			if err != nil {
				return err
			}
			state := "added"
			if !created {
				state = "already in the folder as"
			}
			fmt.Fprintf(env.Stdout, "%s E%d %s %s %s\n", state, it.ID, it.SHA256, it.ContentType, it.Filename)
			return nil
		}()
		if err != nil {
			fmt.Fprintf(env.Stderr, "cockpit evidence add: %s: %v\n", path, err)
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d files not added", len(failed), len(pos))
	}
	return nil
}

func runEvidenceCollect(env *Env, args []string) error {
	fs := env.newFlags("evidence collect")
	cred := env.credentialFlags(fs)
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("usage: cockpit evidence collect CASE --user U")
	}
	caseID, err := parseID("CASE", pos[0])
	if err != nil {
		return err
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
	n, err := ws.ev.Collect(env.Ctx, actorOf(u), caseID)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d original(s) joined the folder of case %d\n", n, caseID)
	return nil
}

func runEvidenceList(env *Env, args []string) error {
	fs := env.newFlags("evidence list")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("usage: cockpit evidence list CASE [--json]")
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
	items, err := st.ListEvidence(env.Ctx, evidence.Folder{CaseID: caseID})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, items)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSIZE\tTYPE\tCAPTURED\tBY\tSHA-256\tNAME")
	for _, it := range items {
		fmt.Fprintf(tw, "E%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.Kind, it.Size, it.ContentType, localTime(env, it.CapturedAt),
			it.CapturedBy, it.SHA256, strconv.Quote(it.Filename))
	}
	return tw.Flush()
}

func runEvidenceCustody(env *Env, args []string) error {
	fs := env.newFlags("evidence custody")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return Usagef("usage: cockpit evidence custody ITEM [--json]")
	}
	id, err := parseID("ITEM", strings.TrimPrefix(pos[0], "E"))
	if err != nil {
		return err
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	logs, err := st.CustodyLogs(env.Ctx, []int64{id})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, logs[id])
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tAT\tACTOR\tACTION\tDETAIL\tHASH")
	for _, c := range logs[id] {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.Seq, localTime(env, c.At), c.Actor, c.Action, c.Detail, c.Hash[:16])
	}
	return tw.Flush()
}

func runEvidenceExport(env *Env, args []string) error {
	fs := env.newFlags("evidence export")
	out := fs.String("out", "", "the ZIP file to write")
	cred := env.credentialFlags(fs)
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		return Usagef("usage: cockpit evidence export CASE --out FILE.zip --user U")
	}
	caseID, err := parseID("CASE", pos[0])
	if err != nil {
		return err
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
	c, err := st.GetCase(env.Ctx, caseID)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".evidence-*.zip")
	if err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	defer os.Remove(tmp.Name())
	m, err := ws.ev.Export(env.Ctx, actorOf(u), evidence.Folder{CaseID: caseID}, c.Title, tmp)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(env.Stdout, "%s: %d original(s) and manifest.json\n", *out, len(m.Files))
	return nil
}
