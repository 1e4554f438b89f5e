// Package version names this build, for `cockpit version`, the window's status line and the IMAP ID
// Cockpit gives mail servers.
package version

import "runtime/debug"

// Version is set at build time with -ldflags "-X cockpit/backend/version.Version=..."; otherwise String
// uses the VCS stamp.
var Version = "dev"

// String is Version, or "dev-" and the commit the binary was built from when no version was set.
func String() string {
	if Version != "dev" {
		return Version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return Version
}
