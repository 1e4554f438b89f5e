package companion

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// AutostartFile is the XDG autostart entry's name.
const AutostartFile = "cockpit-tray.desktop"

// AutostartPath is where the session manager looks: $XDG_CONFIG_HOME/autostart, by default
// ~/.config/autostart (XDG Base Directory and Desktop Application Autostart specifications).
func AutostartPath(getenv func(string) string) (string, error) {
	base := getenv("XDG_CONFIG_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home := getenv("HOME")
		if home == "" {
			return "", errors.New("neither XDG_CONFIG_HOME nor HOME is set")
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "autostart", AutostartFile), nil
}

// DesktopEntry renders the autostart entry that runs exe with args.
func DesktopEntry(exe string, args []string) string {
	cmd := []string{quoteExec(exe)}
	for _, a := range args {
		cmd = append(cmd, quoteExec(a))
	}
	return strings.Join([]string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=Cockpit tray",
		"Name[zh_CN]=Cockpit 托盘提醒",
		"Comment=SLA and red-alert notifications while the Cockpit window is closed",
		"Comment[zh_CN]=Cockpit 窗口关闭时的时限与红色预警提醒",
		"Exec=" + strings.Join(cmd, " "),
		"Icon=cockpit",
		"Terminal=false",
		"X-GNOME-Autostart-enabled=true",
		"",
	}, "\n")
}

// quoteExec quotes one Exec argument as the Desktop Entry specification asks: double quotes around
// anything with reserved characters, with ", `, $ and \ escaped by a backslash, and % doubled.
func quoteExec(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if s != "" && !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`=") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	return `"` + r.Replace(s) + `"`
}

// SetAutostart writes (on) or removes (off) the autostart entry; it returns the file's path. Removing an
// entry that is not there is not an error.
func SetAutostart(on bool, path, exe string, args []string) error {
	if !on {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", path, err)
		}
		return nil
	}
	if !filepath.IsAbs(exe) {
		return fmt.Errorf("autostart needs the tray's absolute path, got %q", exe)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(DesktopEntry(exe, args)), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
