// Command examplehost launches the built executable of the sqlite-datasource
// or app example exactly as Grafana's plugin manager does (internal/host:
// go-plugin, gRPC, protocol 2, the SDK's clients) and makes the calls a
// Grafana user's actions would: health, queries, resources, Live.
//
//	examplehost --example sqlite --plugin PATH --db SAMPLE.db [--json]
//	examplehost --example app --plugin PATH [--json]
//	examplehost --example sqlite|app --list
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gfsdk/gfsdk/tools/interop/internal/examples"
	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("examplehost", flag.ContinueOnError)
	fs.SetOutput(stderr)
	example := fs.String("example", "", "sqlite or app")
	plugin := fs.String("plugin", "", "the example's executable, e.g. examples/app/dist/gpx_app_linux_amd64")
	db := fs.String("db", "", "sqlite: the sample database (createSampleDatabase), an absolute path")
	asJSON := fs.Bool("json", false, "print a JSON report instead of PASS/FAIL lines")
	list := fs.Bool("list", false, "list the checks and exit")
	timeout := fs.Duration("timeout", 20*time.Second, "time limit of the launch and of each check")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var checks []examples.Check
	switch *example {
	case "sqlite":
		checks = examples.SqliteChecks(*db)
	case "app":
		checks = examples.AppChecks()
	default:
		fmt.Fprintln(stderr, "examplehost: --example must be sqlite or app")
		return 2
	}
	if *list {
		for _, name := range append(append([]string{"launch"}, examples.Names(checks)...), "stderr-logs", "kill") {
			fmt.Fprintln(stdout, name)
		}
		return 0
	}
	if *plugin == "" || (*example == "sqlite" && !filepath.IsAbs(*db)) {
		fmt.Fprintln(stderr, "examplehost: --plugin, and for sqlite an absolute --db, are required")
		return 2
	}
	path, err := filepath.Abs(*plugin)
	if err != nil {
		fmt.Fprintln(stderr, "examplehost:", err)
		return 2
	}
	logs := &host.SyncBuffer{}
	report := examples.Run(*example, path, checks, host.NewLogger(logs), *timeout)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(report)
	} else {
		for _, c := range report.Checks {
			verdict := "PASS"
			if !c.OK {
				verdict = "FAIL"
			}
			fmt.Fprintf(stdout, "%s %-32s %5d ms %s\n", verdict, c.Name, c.Ms, c.Error)
		}
	}
	if !report.OK {
		// The host's and the plugin's logs tell why.
		fmt.Fprint(stderr, logs.String())
		return 1
	}
	return 0
}
