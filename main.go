// Command cockpit is the Complaint Escalation Cockpit: with a command it runs headless (see backend/cli),
// without one it opens the desktop window.
package main

import (
	"embed"
	"fmt"
	"os"

	"cockpit/app"
	"cockpit/backend/cli"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	global, rest, err := cli.ParseGlobal(os.Args[1:], os.Stderr)
	if err != nil {
		if _, usage := err.(cli.UsageError); usage {
			os.Exit(cli.ExitUsage)
		}
		fmt.Fprintln(os.Stderr, "cockpit:", err)
		os.Exit(cli.ExitFailure)
	}
	if len(rest) > 0 {
		os.Exit(cli.Run(global, rest, os.Stdin, os.Stdout, os.Stderr))
	}
	if err := app.Run(assets, global); err != nil {
		fmt.Fprintln(os.Stderr, "cockpit:", err)
		os.Exit(cli.ExitFailure)
	}
}
