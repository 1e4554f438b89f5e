package app

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"cockpit/backend/cases"
	"cockpit/backend/cli"
	"cockpit/backend/clocks"
)

// recorder keeps emitted events for assertions.
type recorder struct {
	mu    sync.Mutex
	names []string
	seen  chan string
}

func (r *recorder) Emit(name string, _ any) {
	r.mu.Lock()
	r.names = append(r.names, name)
	r.mu.Unlock()
	select {
	case r.seen <- name:
	default:
	}
}

// The first-run screen's "Open demo workspace": a sibling data dir, the demo mailbox synced in through
// the ingest code, cases on the board, and everything stopped on shutdown.
func TestOpenDemo(t *testing.T) {
	t.Setenv("COCKPIT_SECRETS", "file")
	real := filepath.Join(t.TempDir(), "cockpit")
	rec := &recorder{seen: make(chan string, 4096)}
	core := &Core{Global: cli.Global{DataDir: real}, Clock: clocks.System{}, Events: rec}
	sys := &System{core: core}
	st, err := sys.OpenDemo()
	if err != nil {
		t.Fatal(err)
	}
	if !st.Open || !st.Demo || st.DataDir != real+"-demo" {
		t.Fatalf("status after OpenDemo: %+v", st)
	}
	deadline := time.After(10 * time.Minute) // generous: the race detector on a loaded 2-core CI box
	for done := false; !done; {
		select {
		case name := <-rec.seen:
			if name == "demo:error" || name == "engine:error" {
				t.Fatalf("demo error event; events so far %v", rec.names)
			}
			done = name == "demo:ready"
		case <-deadline:
			t.Fatal("the demo mailbox was not synced in")
		}
	}
	store, err := core.ready()
	if err != nil {
		t.Fatal(err)
	}
	list, err := store.ListCases(t.Context(), cases.Filter{})
	if err != nil || len(list) < 300 {
		t.Fatalf("%d cases after the demo sync (%v)", len(list), err)
	}
	core.shutdown(t.Context())
	if core.demo != nil {
		t.Fatal("shutdown left the demo running")
	}
}
