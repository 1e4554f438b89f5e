package cli

import (
	"fmt"

	"cockpit/backend/version"
)

func init() {
	register(Command{Name: "version", Summary: "print the version", Run: func(env *Env, args []string) error {
		if _, err := parse(env.newFlags("version"), args); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "cockpit %s\n", version.String())
		return nil
	}})
}
