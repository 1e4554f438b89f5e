package app

import (
	"context"
	"fmt"
	"os"

	"cockpit/backend/demo"
	"cockpit/backend/ingest"
	"cockpit/backend/secrets"
)

// demoRun is the open demo workspace: its mail server and the live deliveries, stopped with the workspace.
type demoRun struct {
	ws     *demo.Workspace
	cancel context.CancelFunc
	done   chan struct{}
}

// startDemo serves the demo mailbox for the open workspace, syncs it in the background and then delivers
// a new complaint every demo.LiveEvery so the board is visibly alive.
func (c *Core) startDemo() error {
	st, err := c.ready()
	if err != nil {
		return err
	}
	c.mu.RLock()
	dir, bl := c.Global.DataDir, c.Blobs
	c.mu.RUnlock()
	sec, err := secrets.Open(dir, os.Getenv("COCKPIT_SECRETS"))
	if err != nil {
		return err
	}
	eng, err := c.caseEngine()
	if err != nil {
		return err
	}
	p := &ingest.Pipeline{Store: st, Blobs: bl, Clock: c.Clock, OnCaseChanged: eng.OnCaseChanged}
	ctx, cancel := context.WithCancel(context.Background())
	ws, err := demo.Open(ctx, demo.Deps{Store: st, Secrets: sec, Pipeline: p, Engine: eng, Clock: c.Clock, Log: os.Stderr}, demo.DefaultSeed)
	if err != nil {
		cancel()
		return fmt.Errorf("open the demo workspace: %w", err)
	}
	run := &demoRun{ws: ws, cancel: cancel, done: make(chan struct{})}
	c.mu.Lock()
	c.demo = run
	c.mu.Unlock()
	go func() {
		defer close(run.done)
		// The first sync of a new demo takes a while: let the board fill as it goes (the frontend throttles).
		shown := 0
		progress := func(pr ingest.Progress) {
			c.Events.Emit("sync:progress", pr)
			if pr.Ingested-shown >= 25 || pr.Ingested < shown {
				shown = pr.Ingested
				c.Events.Emit("cases:changed", nil)
			}
		}
		if _, err := ws.Sync(ctx, progress); err != nil && ctx.Err() == nil {
			c.Events.Emit("demo:error", err.Error())
		}
		c.Events.Emit("cases:changed", nil)
		c.Events.Emit("demo:ready", nil)
		// The ingest watcher, when the app runs one, also sees each delivery through IDLE; syncing here as
		// well keeps the demo alive without it, and a second sync of the same UID is skipped.
		ws.RunLive(ctx, demo.LiveEvery, func(th demo.Thread, err error) {
			if err == nil {
				_, err = ws.Sync(ctx, nil)
			}
			if err != nil {
				if ctx.Err() == nil {
					c.Events.Emit("demo:error", err.Error())
				}
				return
			}
			c.Events.Emit("cases:changed", map[string]string{"title": th.Subject})
		})
	}()
	return nil
}

// stopDemo ends the live deliveries and the mail server; a no-op when no demo runs.
func (c *Core) stopDemo() {
	c.mu.Lock()
	run := c.demo
	c.demo = nil
	c.mu.Unlock()
	if run == nil {
		return
	}
	run.cancel()
	<-run.done
	run.ws.Close()
}

// OpenDemo opens the demo workspace from the first-run screen: in the current data dir when the window
// was started with --demo, otherwise in a sibling directory so demo mail never mixes with real cases.
func (s *System) OpenDemo() (StatusDTO, error) {
	c := s.core
	c.mu.RLock()
	dir, isDemo := c.Global.DataDir, c.Global.Demo
	c.mu.RUnlock()
	if !isDemo {
		dir = demo.DirBeside(dir)
	}
	c.stopDemo()
	if err := c.open(context.Background(), dir); err != nil {
		return s.Status(), err
	}
	c.mu.Lock()
	c.Global.Demo = true
	c.mu.Unlock()
	if err := c.startDemo(); err != nil {
		return s.Status(), err
	}
	st := s.Status()
	c.Events.Emit("workspace:opened", st)
	return st, nil
}
