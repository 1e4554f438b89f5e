package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"cockpit/backend/audit"
	"cockpit/backend/ingest/importer"
	"cockpit/backend/ingest/letters"
)

func init() {
	register(Command{Name: "letters", Summary: "regulator letters: letters scan | list [--status S] | show ID | file ID --case N|--new [--work-order X --office O --received D --deadline D] --user U | dismiss ID --reason R --user U", Run: runLetters})
}

func runLetters(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("usage: cockpit letters scan|list|show|file|dismiss ...")
	}
	switch args[0] {
	case "scan":
		return lettersScan(env, args[1:])
	case "list":
		return lettersList(env, args[1:])
	case "show":
		return lettersShow(env, args[1:])
	case "file":
		return lettersFile(env, args[1:])
	case "dismiss":
		return lettersDismiss(env, args[1:])
	}
	return Usagef("unknown letters command %q (scan, list, show, file, dismiss)", args[0])
}

func lettersScan(env *Env, args []string) error {
	fs := env.newFlags("letters scan")
	source := fs.String("source", "", "only this letters source (name or id)")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	srcs, err := st.ListSources(env.Ctx, "letters")
	if err != nil {
		return err
	}
	if *source != "" {
		src, err := findSource(env, st, *source)
		if err != nil {
			return err
		}
		srcs = srcs[:0]
		srcs = append(srcs, src)
	}
	p := NewPipeline(env, st)
	for _, src := range srcs {
		found, err := letters.Scan(env.Ctx, p, src)
		if err != nil {
			return err
		}
		for _, f := range found {
			switch {
			case f.Error != "":
				fmt.Fprintf(env.Stdout, "%s: %s: error: %s\n", src.Name, f.Name, f.Error)
			case f.New:
				fmt.Fprintf(env.Stdout, "%s: %s: new letter L%d\n", src.Name, f.Name, f.LetterID)
			}
		}
	}
	return nil
}

func lettersList(env *Env, args []string) error {
	fs := env.newFlags("letters list")
	status := fs.String("status", "proposed", "proposed, filed, dismissed or all")
	asJSON := fs.Bool("json", false, "print JSON")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *status == "all" {
		*status = ""
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	list, err := st.ListLetters(env.Ctx, *status, 0)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env, list)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFILE\tTEXT\tWORK ORDER\tOFFICE\tRECEIVED\tDEADLINE\tSTATUS\tCASE")
	for _, l := range list {
		fmt.Fprintf(tw, "L%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", l.ID, l.Filename, l.TextStatus, l.WorkOrderNo, l.Office,
			localDate(env, l.ReceivedOn), localTime(env, l.StatedDeadline), l.Status, l.CaseID)
	}
	return tw.Flush()
}

func localDate(env *Env, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(env.Zone).Format("2006-01-02")
}

func lettersShow(env *Env, args []string) error {
	if len(args) != 1 {
		return Usagef("usage: cockpit letters show ID")
	}
	id, err := parseID("ID", trimL(args[0]))
	if err != nil {
		return err
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	l, err := st.GetLetter(env.Ctx, id)
	if err != nil {
		return err
	}
	return writeJSON(env, l)
}

func trimL(s string) string {
	if len(s) > 1 && (s[0] == 'L' || s[0] == 'l') {
		return s[1:]
	}
	return s
}

func lettersFile(env *Env, args []string) error {
	fs := env.newFlags("letters file")
	caseID := fs.Int64("case", 0, "file into this case")
	newMatter := fs.Bool("new", false, "open a new regulator matter")
	workOrder := fs.String("work-order", "", "12315 work-order number (default: the proposed one)")
	office := fs.String("office", "", "regulator office (default: the proposed one)")
	received := fs.String("received", "", "received date YYYY-MM-DD (default: the proposed one)")
	deadline := fs.String("deadline", "", "stated reply deadline YYYY-MM-DD [HH:MM] (default: the proposed one)")
	cred := env.credentialFlags(fs)
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *cred.user == "" {
		return Usagef("usage: cockpit letters file ID --case N|--new [--work-order X] [--office O] [--received D] [--deadline D] --user U")
	}
	id, err := parseID("ID", trimL(pos[0]))
	if err != nil {
		return err
	}
	st, u, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	l, err := st.GetLetter(env.Ctx, id)
	if err != nil {
		return err
	}
	c := letters.Confirm{WorkOrderNo: l.WorkOrderNo, Office: l.Office, ReceivedOn: l.ReceivedOn, Deadline: l.StatedDeadline,
		CaseID: *caseID, NewMatter: *newMatter}
	if *workOrder != "" {
		c.WorkOrderNo = *workOrder
	}
	if *office != "" {
		c.Office = *office
	}
	if *received != "" {
		if c.ReceivedOn, err = importer.ParseDate(*received, env.Zone, false); err != nil {
			return Usagef("--received: %v", err)
		}
	}
	if *deadline != "" {
		if c.Deadline, err = importer.ParseDate(*deadline, env.Zone, true); err != nil {
			return Usagef("--deadline: %v", err)
		}
	}
	out, err := letters.File(env.Ctx, NewPipeline(env, st), audit.Log{Store: st, Clock: env.Clock}, id, c, u.Username)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "letter L%d filed in case %d (new: %v)\n", id, out.CaseID, out.NewCase)
	return nil
}

func lettersDismiss(env *Env, args []string) error {
	fs := env.newFlags("letters dismiss")
	reason := fs.String("reason", "", "why this file is not regulator correspondence (required)")
	cred := env.credentialFlags(fs)
	pos, err := positionals(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *cred.user == "" || *reason == "" {
		return Usagef("usage: cockpit letters dismiss ID --reason R --user U")
	}
	id, err := parseID("ID", trimL(pos[0]))
	if err != nil {
		return err
	}
	st, u, err := cred.openSignedIn()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := letters.Dismiss(env.Ctx, NewPipeline(env, st), audit.Log{Store: st, Clock: env.Clock}, id, *reason, u.Username); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "letter L%d dismissed\n", id)
	return nil
}
