package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/engine"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/imapsync"
	"cockpit/backend/ingest/letters"
	"cockpit/backend/ingest/rt"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "sync", Summary: "pull mail (and other sources) into cases: sync --once [--source NAME]", Run: runSync})
}

// Connectors lists the connector of every source kind that `sync` pulls. Add a kind here to plug it in.
func Connectors(sec secrets.Store) ingest.Connectors {
	return ingest.Connectors{
		"imap":    imapsync.Connector{Secrets: sec},
		"rt":      &rt.Connector{Secrets: sec},
		"letters": letters.Connector{},
	}
}

// NewPipeline builds the ingest pipeline for a data dir. Hooks that must run after each committed message
// (classification, clocks) are attached here so every command and the app get them.
func NewPipeline(env *Env, st *store.Store) *ingest.Pipeline {
	eng := engine.New(st, env.Clock)
	eng.ReportError = func(err error) { fmt.Fprintf(env.Stderr, "cockpit: %v\n", err) }
	return &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(env.DataDir, "blobs")), Clock: env.Clock, Zone: env.Zone,
		OnCaseChanged: eng.OnCaseChanged}
}

func runSync(env *Env, args []string) error {
	fs := env.newFlags("sync")
	once := fs.Bool("once", false, "one pass over every enabled source, then exit (default: keep syncing, with IMAP IDLE)")
	source := fs.String("source", "", "only this source (name or id)")
	kind := fs.String("kind", "", "only sources of this kind (imap, rt, ...)")
	asJSON := fs.Bool("json", false, "print one JSON object per source")
	progress := fs.Bool("progress", false, "print progress to stderr")
	interval := fs.Duration("interval", 5*time.Minute, "without --once: pause between full passes (IMAP also wakes on IDLE)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *interval < 10*time.Second {
		return Usagef("--interval must be at least 10s")
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
	p := NewPipeline(env, st)
	conns := Connectors(sec)
	var prog ingest.ProgressFunc
	if *progress {
		last := time.Time{}
		prog = func(pr ingest.Progress) {
			if pr.Phase == "fetch" && time.Since(last) < 500*time.Millisecond && pr.Done != pr.Total {
				return
			}
			last = time.Now()
			fmt.Fprintf(env.Stderr, "%s/%s: %s %d/%d (ingested %d, quarantined %d, duplicates %d) %s\n",
				pr.Source, pr.Folder, pr.Phase, pr.Done, pr.Total, pr.Ingested, pr.Quarantined, pr.Duplicates, pr.Error)
		}
	}
	pass := func(ctx context.Context) error {
		var results []ingest.SourceResult
		var err error
		if *source != "" {
			src, ferr := findSource(env, st, *source)
			if ferr != nil {
				return ferr
			}
			conn, ok := conns[src.Kind]
			if !ok {
				return fmt.Errorf("source %q is of kind %s, which sync does not pull", src.Name, src.Kind)
			}
			var res ingest.SourceResult
			res, err = conns.SyncSource(ctx, p, conn, src, prog)
			results = append(results, res)
		} else {
			results, err = conns.SyncAll(ctx, p, *kind, prog)
		}
		reportSync(env, results, *asJSON)
		return err
	}
	if *once {
		return pass(env.Ctx)
	}
	// Continuous mode: IMAP sources are watched with IDLE, and every kind gets a full pass per interval.
	mgr := &imapsync.Manager{Deps: imapsync.Deps{Pipeline: p, Secrets: sec}, Progress: prog,
		OnSynced: func(id int64, s ingest.Stats, err error) {
			if s.Fetched > 0 || err != nil {
				fmt.Fprintf(env.Stdout, "source %d: fetched %d, ingested %d, quarantined %d, duplicates %d %s\n", id, s.Fetched, s.Ingested, s.Quarantined, s.Duplicates, syncErrText(err))
			}
		}}
	if err := mgr.Start(env.Ctx); err != nil {
		return err
	}
	defer mgr.Stop()
	delete(conns, "imap") // the watchers own IMAP
	t := time.NewTicker(*interval)
	defer t.Stop()
	for {
		if err := pass(env.Ctx); err != nil {
			fmt.Fprintf(env.Stderr, "cockpit sync: %v\n", err)
		}
		select {
		case <-env.Ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func syncErrText(err error) string {
	if err == nil {
		return ""
	}
	return "error: " + err.Error()
}

func reportSync(env *Env, results []ingest.SourceResult, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, r := range results {
			_ = enc.Encode(struct {
				ID    int64        `json:"source_id"`
				Name  string       `json:"source"`
				Kind  string       `json:"kind"`
				Stats ingest.Stats `json:"stats"`
				Error string       `json:"error,omitempty"`
			}{r.Source.ID, r.Source.Name, r.Source.Kind, r.Stats, r.Error})
		}
		return
	}
	for _, r := range results {
		s := r.Stats
		fmt.Fprintf(env.Stdout, "%s (%s): fetched %d, ingested %d (%d new cases), quarantined %d, duplicates %d",
			r.Source.Name, r.Source.Kind, s.Fetched, s.Ingested, s.NewCases, s.Quarantined, s.Duplicates)
		if s.Removed+s.FlagsChanged > 0 {
			fmt.Fprintf(env.Stdout, "; on the server since: %d removed, %d with new flags (Cockpit keeps its copies)", s.Removed, s.FlagsChanged)
		}
		fmt.Fprintln(env.Stdout)
		for _, e := range s.Errors {
			fmt.Fprintf(env.Stdout, "  error: %s\n", e)
		}
	}
}
