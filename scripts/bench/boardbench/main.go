// Command boardbench is `make bench-board`'s generator and timer: `fill` writes a large synthetic
// workspace (backend/board/synth), `measure` times the board queries the window makes and prints
// p50/p95 over repeated runs (and writes them as JSON for the artifacts).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"cockpit/backend/board"
	"cockpit/backend/board/synth"
	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

func main() {
	fs := flag.NewFlagSet("boardbench", flag.ContinueOnError)
	dir := fs.String("dir", "", "data directory (use a tmpfs such as /dev/shm)")
	nCases := fs.Int("cases", 100000, "cases to generate")
	nMessages := fs.Int("messages", 1000000, "messages to generate")
	runs := fs.Int("runs", 30, "timed runs of each query")
	out := fs.String("json", "", "also write the figures to this JSON file")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *dir == "" || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: boardbench -dir DIR [-cases N -messages M] fill | [-runs N -json FILE] measure")
		os.Exit(2)
	}
	ctx := context.Background()
	var err error
	switch fs.Arg(0) {
	case "fill":
		err = fill(ctx, *dir, *nCases, *nMessages)
	case "measure":
		err = measure(ctx, *dir, *runs, *out)
	default:
		err = fmt.Errorf("unknown step %q (fill or measure)", fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "boardbench:", err)
		os.Exit(1)
	}
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
	fmt.Printf("filled %d cases / %d messages in %s\n", nCases, nMessages, time.Since(start).Round(time.Second))
	return nil
}

// Figure is one measured query.
type Figure struct {
	Name    string  `json:"name"`
	Runs    int     `json:"runs"`
	ColdMs  float64 `json:"coldMs"`
	P50Ms   float64 `json:"p50Ms"`
	P95Ms   float64 `json:"p95Ms"`
	MaxMs   float64 `json:"maxMs"`
	Cards   int     `json:"cards"`
	Matched int     `json:"matched"` // cases under the filter (column counts summed)
	Target  float64 `json:"targetMs,omitempty"`
}

func measure(ctx context.Context, dir string, runs int, out string) error {
	st, err := store.Open(ctx, dir, store.ReadOnly)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := &board.Service{Store: st, Clock: clocks.System{}}
	people, err := st.ListPeople(ctx)
	if err != nil || len(people) < 2 {
		return fmt.Errorf("the data dir has no generated owners (run fill first): %v", err)
	}
	owners := []int64{people[0].ID, people[1].ID}
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
		{"search zh 4 chars (trigram index): 奶粉结块", 100, boardQ(board.Query{Filter: board.Filter{Query: "奶粉结块"}})},
		{"search zh 3 chars (trigram index): 中转站", 100, boardQ(board.Query{Filter: board.Filter{Query: "中转站"}})},
		{"search en (trigram index): tracking", 100, boardQ(board.Query{Filter: board.Filter{Query: "tracking"}})},
		{"search zh 2 chars (LIKE fallback): 奶粉", 0, boardQ(board.Query{Filter: board.Filter{Query: "奶粉"}})},
		{"search + filter: 过敏 in level 1", 100, boardQ(board.Query{Filter: board.Filter{Query: "过敏", Levels: []int{1}}})},
		{"window: L3 cards 5000-5099 (scrolling)", 50, func() (int, int, error) {
			cards, err := svc.Window(ctx, board.Query{}, "L3", 5000, 100)
			return len(cards), 0, err
		}},
	}
	var figs []Figure
	fmt.Printf("%-55s %8s %8s %8s %8s %7s %8s %s\n", "query", "cold", "p50", "p95", "max", "cards", "matched", "target")
	for _, q := range queries {
		f := Figure{Name: q.name, Runs: runs, Target: q.target}
		t := time.Now()
		var err error
		if f.Cards, f.Matched, err = q.run(); err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
		f.ColdMs = ms(time.Since(t))
		var ds []time.Duration
		for range runs {
			t := time.Now()
			if _, _, err := q.run(); err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			ds = append(ds, time.Since(t))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		f.P50Ms, f.P95Ms, f.MaxMs = ms(ds[len(ds)/2]), ms(ds[(len(ds)*95+99)/100-1]), ms(ds[len(ds)-1])
		verdict := ""
		if f.Target > 0 {
			verdict = fmt.Sprintf("p95 <= %.0f ms: %v", f.Target, f.P95Ms <= f.Target)
		}
		fmt.Printf("%-55s %8.1f %8.1f %8.1f %8.1f %7d %8d %s\n", f.Name, f.ColdMs, f.P50Ms, f.P95Ms, f.MaxMs, f.Cards, f.Matched, verdict)
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
