package companion

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostartPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"}, "/x/cfg/autostart/cockpit-tray.desktop"},
		{map[string]string{"HOME": "/home/a"}, "/home/a/.config/autostart/cockpit-tray.desktop"},
		{map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/home/a"}, "/home/a/.config/autostart/cockpit-tray.desktop"},
	} {
		if got, err := AutostartPath(env(c.env)); err != nil || got != c.want {
			t.Errorf("%v: %q %v, want %q", c.env, got, err, c.want)
		}
	}
	if _, err := AutostartPath(env(nil)); err == nil {
		t.Error("no HOME and no XDG_CONFIG_HOME: want an error")
	}
}

func TestQuoteExec(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/cockpit-tray": "/usr/bin/cockpit-tray",
		"/home/a/my data/dir":   `"/home/a/my data/dir"`,
		`/odd/"quoted"$dir`:     `"/odd/\"quoted\"\$dir"`,
		"100%":                  "100%%",
		`C:\back`:               `"C:\\back"`,
		"/数据/工作区":               "/数据/工作区",
		"":                      `""`,
	} {
		if got := quoteExec(in); got != want {
			t.Errorf("quoteExec(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSetAutostartOnOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cfg", "autostart", AutostartFile)
	if err := SetAutostart(true, path, "relative/tray", nil); err == nil {
		t.Fatal("a relative executable path was accepted")
	}
	if err := SetAutostart(true, path, "/opt/cockpit/cockpit-tray", []string{"--data-dir", "/home/a/my data", "--user", "li.na"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entry := string(b)
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", `Exec=/opt/cockpit/cockpit-tray --data-dir "/home/a/my data" --user li.na` + "\n", "Name[zh_CN]="} {
		if !strings.Contains(entry, want) {
			t.Errorf("entry lacks %q:\n%s", want, entry)
		}
	}
	// Writing again replaces the entry; off removes it; off again is fine.
	if err := SetAutostart(true, path, "/opt/cockpit/cockpit-tray", nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); strings.Contains(string(b), "--user") {
		t.Error("the second write did not replace the entry")
	}
	for i := 0; i < 2; i++ {
		if err := SetAutostart(false, path, "", nil); err != nil {
			t.Fatalf("off #%d: %v", i+1, err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("entry still there after off: %v", err)
	}
}
