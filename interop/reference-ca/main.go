// reference-ca starts step-ca 0.19 from Debian's golang-github-smallstep-certificates-dev, the peer Warden is
// compared with in scripts/bench.sh: `reference-ca CONFIG.json` (with STEPPATH set), as `step-ca CONFIG.json`.
package main

import (
	"fmt"
	"os"

	"github.com/smallstep/certificates/commands"
	"github.com/urfave/cli"
)

func main() {
	app := cli.NewApp()
	app.Name = "reference-ca"
	app.Usage = "step-ca 0.19 from Debian's packages, for comparisons"
	app.Flags = commands.AppCommand.Flags
	app.Action = commands.AppCommand.Action
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "reference-ca:", err)
		os.Exit(1)
	}
}
