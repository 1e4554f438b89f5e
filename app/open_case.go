package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path/filepath"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"cockpit/backend/cli"
)

// singleInstance makes a second `cockpit` on the same data dir hand its arguments to the running window
// instead of failing on the data-dir lock: that is how the tray's "open on case N" reaches an open
// window. Other data dirs (the demo beside the real workspace) still run side by side.
func singleInstance(core *Core) *options.SingleInstanceLock {
	dir, err := filepath.Abs(core.Global.DataDir)
	if err != nil {
		dir = core.Global.DataDir
	}
	sum := sha256.Sum256([]byte(dir))
	return &options.SingleInstanceLock{UniqueId: "cockpit-" + hex.EncodeToString(sum[:8]), OnSecondInstanceLaunch: core.secondInstance}
}

// secondInstance brings the window forward and opens the case the second launch asked for.
func (c *Core) secondInstance(d options.SecondInstanceData) {
	g, rest, err := cli.ParseGlobal(d.Args, io.Discard)
	if err != nil || len(rest) > 0 || c.ctx == nil {
		return // a headless command never reaches here (it does not take the lock); nothing else to do
	}
	runtime.WindowUnminimise(c.ctx)
	runtime.WindowShow(c.ctx)
	if g.Case > 0 {
		c.showCase(c.ctx, g.Case)
	}
}

// domReady opens the case given with --case once the frontend has loaded, the first time only (a reload
// keeps wherever the user went since).
func (c *Core) domReady(ctx context.Context) {
	c.stages.mark(StageDomReady)
	c.mu.Lock()
	id := c.Global.Case
	c.Global.Case = 0
	c.mu.Unlock()
	if id > 0 {
		c.showCase(ctx, id)
	}
}

// showCase routes the frontend to the case view (#/case/N, see frontend/src/shell/route.ts).
func (c *Core) showCase(ctx context.Context, id int64) {
	runtime.WindowExecJS(ctx, fmt.Sprintf("window.location.hash = '#/case/%d'", id))
}
