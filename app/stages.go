package app

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// PaintLogEnv names the variable that makes the window log its start-up stages; `make bench-board`
// sets it and reads stderr to split process start -> first painted board into its parts.
const PaintLogEnv = "COCKPIT_PAINT_LOG"

// Start-up stages, in the order a user meets them. The frontend reports the ones it alone can see
// (through System.Mark); the others are logged where they happen.
const (
	StageProcess     = "process"      // Run entered: the window is about to be created
	StageStoreOpen   = "store-open"   // OnStartup opened the workspace
	StageDomReady    = "dom-ready"    // OnDomReady: the page has loaded
	StageScript      = "script"       // frontend: the start-up script has been evaluated
	StageSignInForm  = "signin-form"  // frontend: the sign-in form is on screen
	StageSignIn      = "signin-start" // People.SignIn called (the password check follows)
	StageSignedIn    = "signin-done"  // password checked, session started
	StageShell       = "shell"        // frontend: the shell has mounted (signed out, behind the sign-in form)
	StageBoardQuery  = "board-query"  // the first Board.Get called
	StageBoardResult = "board-result" // the first Board.Get answered
	StageFirstPaint  = "first-paint"  // frontend: the board's first cards are on screen
)

// frontendStages are the ones System.Mark accepts; anything else is ignored, so the open binding
// cannot be used to write arbitrary text into the log.
var frontendStages = map[string]bool{StageScript: true, StageSignInForm: true, StageShell: true, StageFirstPaint: true}

// stageLog prints "cockpit: <stage> unix_ms=N" to stderr (or out) the first time each stage is
// reached, when COCKPIT_PAINT_LOG is set; otherwise it does nothing.
type stageLog struct {
	out  io.Writer // nil: stderr
	once sync.Map  // stage -> struct{}
}

func (l *stageLog) mark(stage string) {
	if os.Getenv(PaintLogEnv) == "" {
		return
	}
	if _, seen := l.once.LoadOrStore(stage, struct{}{}); seen {
		return
	}
	out := l.out
	if out == nil {
		out = os.Stderr
	}
	fmt.Fprintf(out, "cockpit: %s unix_ms=%d\n", stage, time.Now().UnixMilli())
}

// Mark is called by the frontend when it has put a start-up stage on screen (signin-form,
// first-paint). It needs no sign-in: the sign-in form reports itself.
func (s *System) Mark(stage string) {
	if frontendStages[stage] {
		s.core.stages.mark(stage)
	}
}
