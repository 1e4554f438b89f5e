package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"cockpit/backend/ingest/letters"
	"cockpit/backend/ingest/rt"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "source", Summary: "sources of every kind: source list | source add rt|letters ... | source test NAME", Run: runSource})
}

func runSource(env *Env, args []string) error {
	if len(args) == 0 {
		return Usagef("usage: cockpit source list | source add rt|letters ... | source test NAME")
	}
	switch args[0] {
	case "list":
		return sourceList(env, args[1:])
	case "add":
		if len(args) < 2 {
			return Usagef("usage: cockpit source add rt|letters ... (IMAP accounts: cockpit account add)")
		}
		switch args[1] {
		case "rt":
			return sourceAddRT(env, args[2:])
		case "letters":
			return sourceAddLetters(env, args[2:])
		case "imap":
			return Usagef("IMAP accounts are added with: cockpit account add")
		}
		return Usagef("unknown source kind %q (rt, letters)", args[1])
	case "test":
		return sourceTest(env, args[1:])
	}
	return Usagef("unknown source command %q (list, add, test)", args[0])
}

// listFlag collects a repeated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func sourceAddRT(env *Env, args []string) error {
	fs := env.newFlags("source add rt")
	name := fs.String("name", "", "source name (required)")
	url := fs.String("url", "", "RT base URL, e.g. https://rt.example.com/rt (required)")
	var queues listFlag
	fs.Var(&queues, "queue", "queue to pull (repeat or comma-separate; default: all queues)")
	filter := fs.String("filter", "", "TicketSQL naming the escalations, e.g. \"Priority >= 50\"")
	tokenEnv := fs.String("token-env", "", "environment variable holding the auth token (default: first line of stdin)")
	noCheck := fs.Bool("no-check", false, "save without connecting first")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *name == "" || *url == "" {
		return Usagef("usage: cockpit source add rt --name NAME --url URL [--queue Q]... [--filter TICKETSQL] [--token-env VAR]")
	}
	token, err := readPassword(env, *tokenEnv)
	if err != nil {
		return err
	}
	set := rt.Settings{BaseURL: *url, Queues: queues, Filter: *filter}
	if !*noCheck {
		v, err := rt.Test(env.Ctx, set, token, nil)
		if err != nil {
			return fmt.Errorf("cannot reach RT with these settings (--no-check saves anyway): %w", err)
		}
		fmt.Fprintf(env.Stdout, "connected to RT %s\n", v)
	}
	sec, err := openSecrets(env)
	if err != nil {
		return err
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := rt.AddSource(env.Ctx, st, sec, *name, set, token, env.Clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "added RT source %q (source %d); token stored in the %s\n", *name, id, sec.Backend())
	return nil
}

func sourceAddLetters(env *Env, args []string) error {
	fs := env.newFlags("source add letters")
	name := fs.String("name", "", "source name (required)")
	folder := fs.String("folder", "", "folder to watch for regulator letters (required)")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *name == "" || *folder == "" {
		return Usagef("usage: cockpit source add letters --name NAME --folder DIR")
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := letters.AddSource(env.Ctx, st, *name, *folder, env.Clock.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "added letters folder %q (source %d); `cockpit sync --once` or `cockpit letters scan` reads it\n", *name, id)
	return nil
}

func sourceTest(env *Env, args []string) error {
	if len(args) != 1 {
		return Usagef("usage: cockpit source test NAME|ID")
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	src, err := findSource(env, st, args[0])
	if err != nil {
		return err
	}
	if src.Kind != "rt" {
		return Usagef("source test checks RT sources; IMAP: cockpit account test")
	}
	set, err := rt.ParseSettings(src.ConfigJSON)
	if err != nil {
		return err
	}
	sec, err := openSecrets(env)
	if err != nil {
		return err
	}
	token, err := sec.Get(rt.TokenKey(src.ID))
	if err != nil {
		return fmt.Errorf("token of %q: %w", src.Name, err)
	}
	v, err := rt.Test(env.Ctx, set, token, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: RT %s answers\n", src.Name, v)
	return nil
}

// SourceStatus is one line of `source list`.
type SourceStatus struct {
	store.Source
	Counts map[string]int `json:"counts"` // raw items by status; letters by status for letters folders
}

func sourceList(env *Env, args []string) error {
	fs := env.newFlags("source list")
	asJSON := fs.Bool("json", false, "one JSON array of sources")
	kind := fs.String("kind", "", "only this kind (imap, rt, import, letters)")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	st, err := env.OpenRead()
	if err != nil {
		return err
	}
	defer st.Close()
	srcs, err := st.ListSources(env.Ctx, *kind)
	if err != nil {
		return err
	}
	out := make([]SourceStatus, 0, len(srcs))
	for _, s := range srcs {
		var counts map[string]int
		if s.Kind == "letters" {
			counts, err = st.LetterCounts(env.Ctx, s.ID)
		} else {
			counts, err = st.RawItemCounts(env.Ctx, s.ID)
		}
		if err != nil {
			return err
		}
		s.ConfigJSON = "" // settings are for `source test`, not for listing
		out = append(out, SourceStatus{Source: s, Counts: counts})
	}
	if *asJSON {
		return writeJSON(env, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tENABLED\tLAST RUN\tCOUNTS\tERROR")
	for _, s := range out {
		var parts []string
		for _, k := range []string{"ingested", "quarantined", "duplicate", "proposed", "filed", "dismissed"} {
			if n := s.Counts[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, n))
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%s\t%s\t%s\n", s.ID, s.Name, s.Kind, s.Enabled, localTime(env, s.LastRunAt), strings.Join(parts, ", "), s.LastError)
	}
	return tw.Flush()
}
