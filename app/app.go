// Package app is the composition root and the Wails-bound services. Services are thin: validate input,
// call backend packages, return DTOs, emit `noun:verb` events. No SQL and no domain rules live here.
package app

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"cockpit/backend/blobs"
	"cockpit/backend/cli"
	"cockpit/backend/clocks"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// Core is what every service shares. The store is opened in OnStartup (I/O never runs before the window
// exists) and may be nil with StartErr set, which the first screen shows instead of crash-looping.
type Core struct {
	mu       sync.RWMutex
	ctx      context.Context
	Global   cli.Global
	Store    *store.Store
	Blobs    *blobs.Store
	Clock    clocks.Clock
	Events   Emitter
	StartErr error
	demo     *demoRun // the live demo mailbox while the demo workspace is open
	mail     mailSync // IMAP IDLE watchers while the window is open (app/sources.go)
	// People and Session are made when the store opens; Session is the window's signed-in user.
	People  *people.Service
	Session *people.Session
	stages  stageLog // start-up timings for `make bench-board` (COCKPIT_PAINT_LOG)
	engine  caseEngine
	warmers []warmer // run once the store is open, while the window is still loading
}

// warmer is a service that prepares its first answer while the window loads (the web view takes a
// second or more before anyone can sign in), so that the first screen after sign-in does not wait for
// caches to fill. It reads only; nothing it computes reaches the frontend before a signed-in call.
type warmer interface {
	warm(ctx context.Context)
}

// Require is the guard line at the top of every bound method: the signed-in, unlocked user, if their
// role is one of roles (people.Anyone for views every role may open). Core satisfies Guard.
func (c *Core) Require(roles ...people.Role) (people.User, error) {
	c.mu.RLock()
	sess := c.Session
	c.mu.RUnlock()
	if sess == nil {
		if _, err := c.ready(); err != nil {
			return people.User{}, err
		}
		return people.User{}, people.ErrNotSignedIn
	}
	return sess.Require(roles...)
}

// ready returns the open store or the reason there is none.
func (c *Core) ready() (*store.Store, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.Store == nil {
		if c.StartErr != nil {
			return nil, c.StartErr
		}
		return nil, fmt.Errorf("the workspace is not open yet")
	}
	return c.Store, nil
}

func (c *Core) open(ctx context.Context, dir string) error {
	st, err := store.Open(ctx, dir, store.ReadWrite)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.StartErr = err
		return err
	}
	if c.Store != nil {
		c.Store.Close()
	}
	c.Store, c.StartErr = st, nil
	c.People = people.New(st, c.Clock)
	c.Session = people.NewSession(c.People) // a new workspace starts signed out
	c.Blobs = blobs.New(filepath.Join(dir, "blobs"))
	c.Global.DataDir = dir
	return nil
}

func (c *Core) startup(ctx context.Context) {
	c.ctx = ctx
	c.Events = wailsEmitter{ctx: ctx}
	err := c.open(ctx, c.Global.DataDir)
	c.stages.mark(StageStoreOpen)
	// The first screen may have asked before the store was open: tell it either way.
	defer func() { c.Events.Emit("workspace:opened", (&System{core: c}).Status()) }()
	if err != nil {
		return // the error is kept in StartErr and shown by the first screen
	}
	if c.Global.Demo {
		if err := c.startDemo(); err != nil {
			c.mu.Lock()
			c.StartErr = err
			c.mu.Unlock()
		}
	}
	// After the demo: it points its account at this run's demo server before the watchers read it.
	if err := c.startMailSync(); err != nil {
		c.Events.Emit("sync:error", err.Error())
	}
	go func() {
		for _, w := range c.warmers {
			w.warm(ctx)
		}
	}()
}

func (c *Core) shutdown(context.Context) {
	c.stopMailSync()
	c.stopDemo()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Store != nil {
		c.Store.Close()
		c.Store = nil
	}
}

// Run opens the window.
func Run(assets fs.FS, global cli.Global) error {
	core := &Core{Global: global, Clock: clocks.System{}, Events: nopEmitter{}}
	core.stages.mark(StageProcess)
	services := Services(core)
	for _, s := range services {
		if w, ok := s.(warmer); ok {
			core.warmers = append(core.warmers, w)
		}
	}
	return wails.Run(&options.App{
		Title:            "Cockpit",
		Width:            1440,
		Height:           900,
		MinWidth:         1024,
		MinHeight:        640,
		AssetServer:      &assetserver.Options{Assets: assets, Middleware: core.bootPage},
		BackgroundColour: &options.RGBA{R: 245, G: 246, B: 248, A: 1},
		OnStartup:        core.startup,
		OnShutdown:       core.shutdown,
		OnDomReady:       core.domReady,
		Bind:             services,
		// No GPU compositing: where there is no GPU (VMs, remote desktops, Xvfb) WebKit composites with
		// software GL, which made the window show each frame ~0.6 s after rendering it on a 2-core box and
		// doubled the time to the first board; this 2D UI does not need it. (Wails' zero value, named
		// OnDemand, turns into WebKit's ALWAYS; Never is also what Wails uses when given no Linux options.)
		Linux: &linux.Options{ProgramName: "cockpit", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
		// A second launch on this data dir (the tray opening a case) goes to this window.
		SingleInstanceLock: singleInstance(core),
	})
}

// Services lists every bound service; tests call the same values directly.
func Services(core *Core) []any {
	eng := &Engine{core: core}
	return []any{
		eng,
		&Shifts{core: core, engine: eng},
		&System{core: core},
		&Cases{core: core},
		&Board{core: core, Guard: core},
		&Replies{core: core, Guard: core},
		&Review{core: core, Guard: core},
		&People{core: core},
		&Approvals{core: core},
		&Evidence{core: core},
		&Filings{core: core},
		&Exports{core: core},
		&Imports{core: core},
		&Letters{core: core},
		&Helpdesk{core: core},
		&Sources{core: core},
	}
}
