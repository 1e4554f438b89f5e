package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"cockpit/backend/blobs"
	"cockpit/backend/cases"
	"cockpit/backend/demo"
	"cockpit/backend/engine"
	"cockpit/backend/ingest"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
)

func init() {
	register(Command{Name: "demo", Summary: "create or refresh the demo workspace: serve the demo mailbox and sync it (--live keeps delivering)", Run: runDemo})
}

// DemoSummary is what `cockpit demo --json` prints.
type DemoSummary struct {
	DataDir   string       `json:"data_dir"`
	Seed      uint64       `json:"seed"`
	Anchor    time.Time    `json:"anchor"`
	Server    string       `json:"server"`
	Threads   int          `json:"threads"`
	Messages  int          `json:"messages"`
	Regulator int          `json:"regulator_letters"`
	Live      int          `json:"live_delivered"`
	Sync      ingest.Stats `json:"sync"`
	Cases     int          `json:"cases"`
}

func runDemo(env *Env, args []string) error {
	fs := env.newFlags("demo")
	seed := fs.Uint64("seed", demo.DefaultSeed, "generator seed (used when the workspace is new)")
	live := fs.Bool("live", false, "keep serving and deliver a new complaint every --every until interrupted")
	every := fs.Duration("every", demo.LiveEvery, "interval between live complaints")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return Usagef("unexpected argument %q", rest[0])
	}
	if *every < time.Second {
		return Usagef("--every must be at least 1s")
	}
	st, err := env.OpenWrite()
	if err != nil {
		return err
	}
	defer st.Close()
	sec, err := secrets.Open(env.DataDir, env.Getenv("COCKPIT_SECRETS"))
	if err != nil {
		return err
	}
	p, eng := demoPipeline(env, st)
	ws, err := demo.Open(env.Ctx, demo.Deps{Store: st, Secrets: sec, Pipeline: p, Engine: eng, Clock: env.Clock, Log: env.Stderr}, *seed)
	if err != nil {
		return fmt.Errorf("demo workspace: %w", err)
	}
	defer ws.Close()
	stats, err := ws.Sync(env.Ctx, nil)
	if err != nil {
		return fmt.Errorf("sync the demo mailbox: %w", err)
	}
	all, err := st.ListCases(env.Ctx, cases.Filter{})
	if err != nil {
		return err
	}
	sum := DemoSummary{DataDir: env.DataDir, Seed: ws.State.Seed, Anchor: ws.State.Anchor, Server: ws.Server.Addr,
		Threads: len(ws.Mailbox.Threads), Messages: len(ws.Mailbox.Messages), Live: len(ws.State.Live), Sync: stats, Cases: len(all)}
	for _, m := range ws.Mailbox.Messages {
		if m.Folder == demo.FolderRegulator {
			sum.Regulator++
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Stdout, "demo workspace %s (seed %d, mail of the 10 days before %s)\n", sum.DataDir, sum.Seed,
			sum.Anchor.In(env.Zone).Format("2006-01-02 15:04"))
		fmt.Fprintf(env.Stdout, "mailbox on %s: %d complaints in %d messages, %d regulator letters, %d live complaints\n",
			sum.Server, sum.Threads, sum.Messages, sum.Regulator, sum.Live)
		fmt.Fprintf(env.Stdout, "synced: %d fetched, %d ingested (%d new cases), %d duplicates, %d quarantined, %d already known\n",
			stats.Fetched, stats.Ingested, stats.NewCases, stats.Duplicates, stats.Quarantined, stats.Skipped)
		fmt.Fprintf(env.Stdout, "%d cases in the workspace; list them with: cockpit --data-dir %s cases\n", sum.Cases, env.DataDir)
		if len(ws.Staff) > 0 {
			fmt.Fprintf(env.Stdout, "sign in with password %q as:", demo.StaffPassword)
			for _, m := range demo.Staff {
				if _, ok := ws.Staff[m.Username]; ok {
					fmt.Fprintf(env.Stdout, " %s (%s)", m.Username, m.Role)
				}
			}
			fmt.Fprintln(env.Stdout)
		}
	}
	if !*live {
		return nil
	}
	return demoLive(env, ws, *every)
}

// demoLive keeps the server up, delivers a complaint every interval and syncs it in, until interrupted.
// The window does the same with the ingest watcher (IDLE); here a sync after each delivery is enough.
func demoLive(env *Env, ws *demo.Workspace, every time.Duration) error {
	fmt.Fprintf(env.Stdout, "delivering a new complaint every %s; Ctrl-C to stop\n", every)
	ws.RunLive(env.Ctx, every, func(th demo.Thread, err error) {
		if err == nil {
			_, err = ws.Sync(env.Ctx, nil)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "cockpit demo: %v\n", err)
			return
		}
		fmt.Fprintf(env.Stdout, "%s  new complaint: %s\n", env.Clock.Now().In(env.Zone).Format("15:04:05"), th.Subject)
	})
	if env.Ctx.Err() == context.Canceled {
		return nil // interrupted: the normal way to stop
	}
	return env.Ctx.Err()
}

// demoPipeline is the ingest pipeline of a CLI run on st, with the case engine classifying each case
// as its mail arrives (engine errors are reported, never fail the sync).
func demoPipeline(env *Env, st *store.Store) (*ingest.Pipeline, *engine.Engine) {
	eng := engine.New(st, env.Clock)
	eng.ReportError = func(err error) { fmt.Fprintf(env.Stderr, "cockpit demo: %v\n", err) }
	return &ingest.Pipeline{Store: st, Blobs: blobs.New(filepath.Join(env.DataDir, "blobs")), Clock: env.Clock, Zone: env.Zone,
		OnCaseChanged: eng.OnCaseChanged}, eng
}
