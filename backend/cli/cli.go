// Package cli is Cockpit's headless command line: `cockpit [--data-dir DIR] <command> [flags]`.
// Each command lives in its own file and registers itself; no command opens a window.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"time"

	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// UsageError marks a mistake in the command line (exit code 2).
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error { return UsageError{Msg: fmt.Sprintf(format, args...)} }

// Env is what a command gets: where the data is, its streams and the clock.
type Env struct {
	Ctx     context.Context
	DataDir string
	Zone    *time.Location
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Clock   clocks.Clock
	Getenv  func(string) string
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	// Run receives the arguments after the command name.
	Run func(env *Env, args []string) error
}

var commands = map[string]Command{}

func register(c Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name) // programming error, caught by any test run
	}
	commands[c.Name] = c
}

// Global holds the flags that come before the command.
type Global struct {
	DataDir string
	Zone    string
	Demo    bool
	// Case opens the window on that case (the tray's "open on case N"); with the window already open on
	// the same data dir, the request is handed to it.
	Case int64
}

// ParseGlobal reads the global flags; rest is the command and its arguments (empty: open the window).
func ParseGlobal(args []string, stderr io.Writer) (Global, []string, error) {
	var g Global
	fs := flag.NewFlagSet("cockpit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&g.DataDir, "data-dir", "", "data directory (default: the user config dir/cockpit)")
	fs.StringVar(&g.Zone, "zone", "", "display time zone (default: the workspace setting, else Asia/Shanghai)")
	fs.BoolVar(&g.Demo, "demo", false, "open the window on the demo workspace")
	fs.Int64Var(&g.Case, "case", 0, "open the window on this case")
	fs.Usage = func() { usage(stderr, fs) }
	if err := fs.Parse(args); err != nil {
		return g, nil, UsageError{Msg: err.Error()}
	}
	if g.Case < 0 {
		return g, nil, Usagef("--case must be a case number")
	}
	if g.DataDir == "" {
		dir, err := store.DefaultDir()
		if err != nil {
			return g, nil, err
		}
		g.DataDir = dir
	}
	return g, fs.Args(), nil
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "usage: cockpit [--data-dir DIR] [--zone TZ] <command> [flags]")
	fmt.Fprintln(w, "       cockpit [--data-dir DIR] [--demo] [--case N]   (no command: open the window)")
	fmt.Fprintln(w, "\nglobal flags:")
	fs.PrintDefaults()
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-13s %s\n", n, commands[n].Summary)
	}
}

// Run executes a command line that has a command and returns the exit code.
func Run(g Global, rest []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := rest[0]
	if name == "help" || name == "-h" || name == "--help" {
		fs := flag.NewFlagSet("cockpit", flag.ContinueOnError)
		usage(stdout, fs)
		return ExitOK
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "cockpit: unknown command %q (try: cockpit help)\n", name)
		return ExitUsage
	}
	zone, err := LoadZone(g.Zone)
	if err != nil {
		fmt.Fprintf(stderr, "cockpit: %v\n", err)
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv("COCKPIT_CPUPROFILE"); path != "" {
		// For benchmarks (make bench-imap writes one): where a command spends its CPU.
		if stopProfile, err := startCPUProfile(path); err != nil {
			fmt.Fprintf(stderr, "cockpit: cpu profile: %v\n", err)
		} else {
			defer stopProfile()
		}
	}
	env := &Env{Ctx: ctx, DataDir: g.DataDir, Zone: zone, Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Clock: clocks.System{}, Getenv: os.Getenv}
	if err := cmd.Run(env, rest[1:]); err != nil {
		var ue UsageError
		if errors.As(err, &ue) || errors.Is(err, flag.ErrHelp) {
			if !errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(stderr, "cockpit %s: %v\n", name, err)
			}
			return ExitUsage
		}
		fmt.Fprintf(stderr, "cockpit %s: %v\n", name, err)
		return ExitFailure
	}
	return ExitOK
}

func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// DefaultZone is where the operation works unless configured otherwise.
const DefaultZone = "Asia/Shanghai"

// LoadZone resolves a zone name; empty means DefaultZone.
func LoadZone(name string) (*time.Location, error) {
	if strings.TrimSpace(name) == "" {
		name = DefaultZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: %w", name, err)
	}
	return loc, nil
}

// newFlags makes a flag set for a command whose errors become usage errors.
func (env *Env) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("cockpit "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// parse parses flags and turns failures into usage errors; positional arguments are returned.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, UsageError{Msg: err.Error()}
	}
	return fs.Args(), nil
}

// OpenWrite opens the store for a command that changes data.
func (env *Env) OpenWrite() (*store.Store, error) {
	return store.Open(env.Ctx, env.DataDir, store.ReadWrite)
}

// OpenRead opens the store for a read-only command: it writes (creating and migrating) when it can,
// and falls back to read-only when the app holds the data dir or this user may not write it, so reports
// work while the window is open. The fallback is said on stderr, since what it shows may be out of date.
func (env *Env) OpenRead() (*store.Store, error) {
	s, err := store.Open(env.Ctx, env.DataDir, store.ReadWrite)
	if errors.Is(err, store.ErrLocked) || errors.Is(err, store.ErrNotWritable) {
		ro, rerr := store.Open(env.Ctx, env.DataDir, store.ReadOnly)
		if rerr != nil {
			return nil, fmt.Errorf("%w; reading read-only failed too: %w", err, rerr)
		}
		fmt.Fprintf(env.Stderr, "cockpit: %v\ncockpit: reading %s read-only\n", err, ro.Path)
		return ro, nil
	}
	return s, err
}
