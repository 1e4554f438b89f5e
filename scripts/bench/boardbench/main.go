// Command boardbench is `make bench-board`'s generator and timer: `fill` writes a large synthetic
// workspace (backend/board/synth), `measure` times the board queries the window makes and prints
// p50/p95 over repeated runs (and writes them as JSON for the artifacts).
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"cockpit/backend/board"
	"cockpit/backend/board/synth"
	"cockpit/backend/clocks"
	"cockpit/backend/engine"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

func main() {
	fs := flag.NewFlagSet("boardbench", flag.ContinueOnError)
	dir := fs.String("dir", "", "data directory (use a tmpfs such as /dev/shm)")
	nCases := fs.Int("cases", 100000, "cases to generate")
	nMessages := fs.Int("messages", 1000000, "messages to generate")
	runs := fs.Int("runs", 30, "timed runs of each query")
	out := fs.String("json", "", "also write the figures to this JSON file")
	only := fs.String("only", "", "measure only the queries whose name holds this text")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the measured runs to this file")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *dir == "" || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: boardbench -dir DIR [-cases N -messages M] fill | [-runs N -json FILE] measure | bench-user (BENCH_PASSWORD)")
		os.Exit(2)
	}
	ctx := context.Background()
	var err error
	switch fs.Arg(0) {
	case "fill":
		err = fill(ctx, *dir, *nCases, *nMessages)
	case "measure":
		err = measure(ctx, *dir, *runs, *out, *only, *profile)
	case "bench-user":
		err = benchUser(ctx, *dir, os.Getenv("BENCH_PASSWORD"))
	default:
		err = fmt.Errorf("unknown step %q (fill or measure)", fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "boardbench:", err)
		os.Exit(1)
	}
}

// benchUser (re)sets the password of the supervisor "bench" that the first-paint run signs in as.
// The script makes a fresh random password for every run, so none is ever written down.
func benchUser(ctx context.Context, dir, password string) error {
	if err := people.CheckStrength(password); err != nil {
		return fmt.Errorf("BENCH_PASSWORD: %w", err)
	}
	hash, err := people.HashPassword(password, people.DefaultParams)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now()
	return st.Tx(ctx, func(tx *sql.Tx) error {
		p, err := st.PersonByUsername(ctx, "bench")
		if errors.Is(err, store.ErrNotFound) {
			_, err = store.CreatePersonTx(ctx, tx, store.Person{Username: "bench", DisplayName: "Bench", Role: "supervisor",
				Active: true, CreatedAt: now, PasswordHash: hash, PasswordChangedAt: now})
			return err
		}
		if err != nil {
			return err
		}
		p.PasswordHash, p.PasswordChangedAt, p.FailedLogins, p.LockedUntil, p.Active = hash, now, 0, time.Time{}, true
		return store.UpdatePersonTx(ctx, tx, p)
	})
}

func fill(ctx context.Context, dir string, nCases, nMessages int) error {
	st, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	last := start
	_, err = synth.Fill(ctx, st, synth.Params{Cases: nCases, Messages: nMessages, Seed: 618, Progress: func(done int) {
		if time.Since(last) > 10*time.Second || done == nCases {
			last = time.Now()
			fmt.Printf("  %d/%d cases, %s\n", done, nCases, time.Since(start).Round(time.Second))
		}
	}})
	if err != nil {
		return err
	}
	if err := st.OptimizeStats(ctx); err != nil {
		return err
	}
	fmt.Printf("filled %d cases / %d messages in %s\n", nCases, nMessages, time.Since(start).Round(time.Second))
	return nil
}

// Figure is one measured query.
type Figure struct {
	Name     string  `json:"name"`
	Runs     int     `json:"runs"`
	ColdMs   float64 `json:"coldMs"`
	P50Ms    float64 `json:"p50Ms"`
	P95Ms    float64 `json:"p95Ms"`
	MaxMs    float64 `json:"maxMs"`
	CPUP50Ms float64 `json:"cpuP50Ms"`
	CPUP95Ms float64 `json:"cpuP95Ms"`
	Cards    int     `json:"cards"`
	Matched  int     `json:"matched"` // cases under the filter (column counts summed)
	Target   float64 `json:"targetMs,omitempty"`
}

func measure(ctx context.Context, dir string, runs int, out, only, profile string) error {
	// A workspace filled by an older build gets the newer migrations first, as the window would apply
	// them; timed apart from the queries (rebuilding the full-text index of a million messages takes a while).
	t := time.Now()
	rw, err := store.Open(ctx, dir, store.ReadWrite)
	if err != nil {
		return err
	}
	if err := rw.Close(); err != nil {
		return err
	}
	fmt.Printf("store.Open read-write (migrations): %.1f s\n", time.Since(t).Seconds())
	t = time.Now()
	st, err := store.Open(ctx, dir, store.ReadOnly)
	if err != nil {
		return err
	}
	defer st.Close()
	// Opening includes the store's start-up integrity check, which the window's start waits for too.
	fmt.Printf("store.Open: %.1f s\n", time.Since(t).Seconds())
	// As the window serves it: cards carry their clocks, replayed by the case engine.
	svc := &board.Service{Store: st, Clock: clocks.System{}, Deadlines: engine.New(st, clocks.System{}).Deadlines}
	staff, err := st.ListPeople(ctx)
	if err != nil || len(staff) < 2 {
		return fmt.Errorf("the data dir has no generated owners (run fill first): %v", err)
	}
	var owners []int64
	for _, p := range staff {
		if p.Username != "bench" && len(owners) < 2 {
			owners = append(owners, p.ID)
		}
	}
	boardQ := func(q board.Query) func() (int, int, error) {
		return func() (int, int, error) {
			b, err := svc.Board(ctx, q)
			cards := 0
			for _, c := range b.Columns {
				cards += len(c.Cards)
			}
			return cards, b.Total, err
		}
	}
	queries := []struct {
		name   string
		target float64
		run    func() (int, int, error)
	}{
		{"board: open cases by level, 50 cards per column", 50, boardQ(board.Query{})},
		{"board: all cases by status", 50, boardQ(board.Query{GroupBy: store.GroupByStatus})},
		{"filtered: product + safety flag + 2 owners", 50, boardQ(board.Query{Filter: board.Filter{Types: []string{"product"}, Flags: []string{"safety"}, OwnerIDs: owners}})},
		{"filtered: regulator matters, unassigned or 2 owners", 50, boardQ(board.Query{Filter: board.Filter{Regulator: true, OwnerIDs: owners, Unassigned: true}})},
		{"search zh 3 chars (trigram index): 拉肚子", 100, boardQ(board.Query{Filter: board.Filter{Query: "拉肚子"}})},
		{"search zh 5 chars (trigram index): 快递员代签", 100, boardQ(board.Query{Filter: board.Filter{Query: "快递员代签"}})},
		{"search en (trigram index): tracking", 100, boardQ(board.Query{Filter: board.Filter{Query: "tracking"}})},
		{"search zh 2 chars (trigram prefixes): 奶粉", 100, boardQ(board.Query{Filter: board.Filter{Query: "奶粉"}})},
		{"search zh 1 char (LIKE fallback): 粉", 0, boardQ(board.Query{Filter: board.Filter{Query: "粉"}})},
		{"search all cases by status: 拉肚子", 100, boardQ(board.Query{GroupBy: store.GroupByStatus, Filter: board.Filter{Query: "拉肚子"}})},
		{"search + filter: 过敏 in level 1", 100, boardQ(board.Query{Filter: board.Filter{Query: "过敏", Levels: []int{1}}})},
		{"window: L3 cards 5000-5099 (scrolling)", 50, func() (int, int, error) {
			cards, err := svc.Window(ctx, board.Query{}, "L3", 5000, 100)
			return len(cards), 0, err
		}},
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var figs []Figure
	fmt.Printf("%-55s %8s %8s %8s %8s %8s %8s %7s %8s %s\n", "query (ms)", "cold", "p50", "p95", "max", "cpu p50", "cpu p95", "cards", "matched", "target")
	for _, q := range queries {
		if !strings.Contains(q.name, only) {
			continue
		}
		f := Figure{Name: q.name, Runs: runs, Target: q.target}
		t := time.Now()
		var err error
		if f.Cards, f.Matched, err = q.run(); err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		f.ColdMs = ms(time.Since(t))
		var ds, cpu []time.Duration
		for range runs {
			t, c := time.Now(), cpuTime()
			if _, _, err := q.run(); err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			ds, cpu = append(ds, time.Since(t)), append(cpu, cpuTime()-c)
		}
		f.P50Ms, f.P95Ms, f.MaxMs = percentiles(ds)
		f.CPUP50Ms, f.CPUP95Ms, _ = percentiles(cpu)
		verdict := ""
		if f.Target > 0 {
			verdict = fmt.Sprintf("p95 <= %.0f ms: %v", f.Target, f.P95Ms <= f.Target)
		}
		fmt.Printf("%-55s %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f %7d %8d %s\n", f.Name, f.ColdMs, f.P50Ms, f.P95Ms, f.MaxMs, f.CPUP50Ms, f.CPUP95Ms, f.Cards, f.Matched, verdict)
		figs = append(figs, f)
	}
	if out != "" {
		b, _ := json.MarshalIndent(figs, "", "  ")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// percentiles returns p50, p95 and max in milliseconds.
func percentiles(ds []time.Duration) (p50, p95, maxMs float64) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ms(ds[len(ds)/2]), ms(ds[(len(ds)*95+99)/100-1]), ms(ds[len(ds)-1])
}

// cpuTime is the process's user+system CPU time. Beside wall time it shows what a query costs when
// other work shares the machine's cores (wall time then includes waiting for a core).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
