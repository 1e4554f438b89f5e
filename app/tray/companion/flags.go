package companion

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"
)

// Options are cockpit-tray's command-line settings.
type Options struct {
	DataDir, User, Cockpit, Autostart, Zone string
	Every, Soon                             time.Duration
	Window                                  bool
}

// ParseFlags reads cockpit-tray's command line; errors are usage errors (exit 2), flag.ErrHelp for -h.
func ParseFlags(args []string, stderr io.Writer, getenv func(string) string) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("cockpit-tray", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.DataDir, "data-dir", "", "Cockpit data directory (default: the user config dir/cockpit)")
	fs.StringVar(&o.User, "user", getenv("USER"), "your Cockpit username: clocks of your cases are announced")
	fs.StringVar(&o.Cockpit, "cockpit", "", "the cockpit binary to open (default: beside this one, else on PATH)")
	fs.StringVar(&o.Autostart, "autostart", "", "on|off: add or remove the XDG autostart entry, then exit")
	fs.StringVar(&o.Zone, "zone", "", "display time zone (default Asia/Shanghai)")
	fs.DurationVar(&o.Every, "every", 30*time.Second, "how often to read the data dir")
	fs.DurationVar(&o.Soon, "soon", time.Hour, "a clock due within this is about to breach")
	fs.BoolVar(&o.Window, "window", false, "also show the status window (always shown when there is no tray)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.Every < time.Second || o.Soon <= 0 {
		return o, errors.New("--every must be at least 1s and --soon positive")
	}
	if o.Autostart != "" && o.Autostart != "on" && o.Autostart != "off" {
		return o, fmt.Errorf("--autostart must be on or off, not %q", o.Autostart)
	}
	return o, nil
}
