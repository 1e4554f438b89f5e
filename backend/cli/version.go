package cli

import (
	"fmt"
	"runtime/debug"
)

// Version is set at build time with -ldflags "-X cockpit/backend/cli.Version=..."; otherwise the VCS stamp is used.
var Version = "dev"

func init() {
	register(Command{Name: "version", Summary: "print the version", Run: func(env *Env, args []string) error {
		if _, err := parse(env.newFlags("version"), args); err != nil {
			return err
		}
		v := Version
		if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
			for _, s := range info.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					v = "dev-" + s.Value[:12]
				}
			}
		}
		fmt.Fprintf(env.Stdout, "cockpit %s\n", v)
		return nil
	}})
}
