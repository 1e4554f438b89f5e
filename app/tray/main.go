// Command cockpit-tray is Cockpit's tray companion: while the window is closed it shows the counts of
// breached and soon-to-breach clocks and open incidents in the system tray, opens Cockpit on a case, and
// raises desktop notifications for new red alerts and for clocks about to breach on the user's own
// cases. It reads the data dir read-only and never writes to it. Wails v2 has no tray, hence Fyne here.
//
//	cockpit-tray [--data-dir DIR] [--user NAME] [--every 30s] [--soon 1h] [--window]
//	cockpit-tray --autostart on|off [--data-dir DIR] [--user NAME]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"cockpit/app/tray/companion"
	"cockpit/backend/cli"
	"cockpit/backend/clocks"
	"cockpit/backend/store"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	o, err := companion.ParseFlags(args, stderr, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "cockpit-tray:", err)
		return 2
	}
	zone, err := cli.LoadZone(o.Zone)
	if err != nil {
		fmt.Fprintln(stderr, "cockpit-tray:", err)
		return 2
	}
	if o.DataDir == "" {
		if o.DataDir, err = store.DefaultDir(); err != nil {
			fmt.Fprintln(stderr, "cockpit-tray:", err)
			return 1
		}
	}
	if o.DataDir, err = filepath.Abs(o.DataDir); err != nil {
		fmt.Fprintln(stderr, "cockpit-tray:", err)
		return 1
	}
	if o.Autostart != "" {
		return autostart(o, stdout, stderr)
	}

	a := app.NewWithID("cn.cockpit.tray")
	a.SetIcon(companion.Icon(companion.Calm))
	reader := &companion.StoreReader{Dir: o.DataDir, User: o.User, Soon: o.Soon}
	defer reader.Close()
	c := companion.New(a, companion.Config{Soon: o.Soon, Every: o.Every, Zone: zone, Lang: companion.LangFromEnv()},
		reader, clocks.System{}, launcher(o.Cockpit, o.DataDir), stderr)
	if desk, ok := a.(desktop.App); ok && companion.TrayHostPresent() {
		desk.SetSystemTrayMenu(c.Menu())
		desk.SetSystemTrayIcon(companion.Icon(companion.Calm))
		c.TrayIcon = desk.SetSystemTrayIcon
		if o.Window {
			c.ShowWindow()
		}
	} else {
		c.NoTrayHost()
	}
	if w := c.Window(); w != nil {
		// Closing the window hides it: without a tray there is no other way to quit by accident, and the
		// notifications must keep coming. Quit from the tray menu or with a signal.
		w.SetCloseIntercept(w.Hide)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a.Lifecycle().SetOnStarted(func() { go c.Run(ctx) })
	a.Run()
	return 0
}

// launcher opens Cockpit on the data dir, on a case when caseID > 0. The window forwards a second launch
// to the running one (single-instance lock), so this works whether or not Cockpit is open.
func launcher(bin, dataDir string) func(caseID int64) error {
	return func(caseID int64) error {
		path, err := cockpitBinary(bin)
		if err != nil {
			return err
		}
		args := []string{"--data-dir", dataDir}
		if caseID > 0 {
			args = append(args, "--case", strconv.FormatInt(caseID, 10))
		}
		cmd := exec.Command(path, args...)
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start %s: %w", path, err)
		}
		go cmd.Wait() // reap it; the window lives on its own
		return nil
	}
}

// cockpitBinary is --cockpit, else "cockpit" beside this binary (build/bin holds both), else on PATH.
func cockpitBinary(bin string) (string, error) {
	if bin != "" {
		return bin, nil
	}
	if self, err := os.Executable(); err == nil {
		side := filepath.Join(filepath.Dir(self), "cockpit")
		if st, err := os.Stat(side); err == nil && !st.IsDir() {
			return side, nil
		}
	}
	path, err := exec.LookPath("cockpit")
	if err != nil {
		return "", errors.New("cockpit is not beside cockpit-tray nor on PATH (use --cockpit)")
	}
	return path, nil
}

func autostart(o companion.Options, stdout, stderr io.Writer) int {
	path, err := companion.AutostartPath(os.Getenv)
	if err == nil {
		var self string
		if self, err = os.Executable(); err == nil {
			args := []string{"--data-dir", o.DataDir}
			if o.User != "" {
				args = append(args, "--user", o.User)
			}
			err = companion.SetAutostart(o.Autostart == "on", path, self, args)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "cockpit-tray: autostart:", err)
		return 1
	}
	if o.Autostart == "on" {
		fmt.Fprintf(stdout, "cockpit-tray starts with your session: %s\n", path)
	} else {
		fmt.Fprintf(stdout, "cockpit-tray no longer starts with your session (removed %s)\n", path)
	}
	return 0
}
