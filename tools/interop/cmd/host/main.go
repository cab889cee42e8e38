// Command host launches a Grafana backend plugin executable exactly as
// Grafana's plugin manager does (hashicorp/go-plugin, gRPC, protocol 2, the
// SDK's grpcplugin clients) and runs the testdata contract against it, or
// benchmarks QueryData round trips.
//
//	host --plugin PATH [--automtls] [--json] [--only a,b] [--timeout 20s] [--verbose]
//	host --plugin PATH [--automtls] --bench --query random_walk|rows --rows N --concurrency C --duration 5s [--format arrow|json]
//	host --list
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Report is the --json output of a scenario run.
type Report struct {
	Plugin    string        `json:"plugin"`
	AutoMTLS  bool          `json:"autoMTLS"`
	OK        bool          `json:"ok"`
	Scenarios []host.Result `json:"scenarios"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("host", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plugin := fs.String("plugin", "", "path to the plugin executable (e.g. dist/gpx_testdata_linux_amd64)")
	asJSON := fs.Bool("json", false, "print a JSON report instead of PASS/FAIL lines")
	only := fs.String("only", "", "comma-separated scenario names to run (default: all; see --list)")
	timeout := fs.Duration("timeout", 20*time.Second, "time limit per scenario")
	verbose := fs.Bool("verbose", false, "stream go-plugin/host logs (incl. the plugin's re-logged stderr) to stderr")
	list := fs.Bool("list", false, "list scenario names and exit")
	autoMTLS := fs.Bool("automtls", false, "use go-plugin's AutoMTLS (mutual TLS, PLUGIN_CLIENT_CERT), which Grafana does not")
	bench := fs.Bool("bench", false, "benchmark QueryData instead of running scenarios")
	query := fs.String("query", "random_walk", "bench: random_walk or rows")
	rows := fs.Int("rows", 1000, "bench: rows per frame (maxDataPoints for random_walk, model.rows for rows)")
	concurrency := fs.Int("concurrency", 1, "bench: concurrent callers")
	duration := fs.Duration("duration", 5*time.Second, "bench: measurement time")
	format := fs.String("format", "arrow", "bench: frame format to request, arrow or json")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		for _, n := range host.ScenarioNames() {
			fmt.Fprintln(stdout, n)
		}
		return 0
	}
	if *plugin == "" {
		fmt.Fprintln(stderr, "host: --plugin is required")
		fs.Usage()
		return 2
	}
	path, err := filepath.Abs(*plugin)
	if err != nil {
		fmt.Fprintln(stderr, "host:", err)
		return 2
	}
	if st, err := os.Stat(path); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		fmt.Fprintf(stderr, "host: %s is not an executable file\n", path)
		return 2
	}

	// go-plugin's own log plus the plugin's stderr as go-plugin re-logs it.
	logBuf := &host.SyncBuffer{}
	var logOut io.Writer = logBuf
	if *verbose {
		logOut = io.MultiWriter(logBuf, stderr)
	}
	logger := host.NewLogger(&host.SyncWriter{W: logOut})

	if *bench {
		f := pluginv2.DataFrameFormat_ARROW
		switch strings.ToLower(*format) {
		case "arrow":
		case "json":
			f = pluginv2.DataFrameFormat_JSON
		default:
			fmt.Fprintln(stderr, "host: --format must be arrow or json")
			return 2
		}
		res, err := host.Bench(host.BenchOptions{
			PluginPath: path, Query: *query, Rows: *rows, Concurrency: *concurrency,
			Duration: *duration, Format: f, Logger: logger, AutoMTLS: *autoMTLS,
		})
		if err != nil {
			fmt.Fprintln(stderr, "host: bench:", err)
			if !*verbose {
				fmt.Fprint(stderr, tail(logBuf.String(), 4000))
			}
			return 1
		}
		enc := json.NewEncoder(stdout)
		_ = enc.Encode(res)
		if res.Errors > 0 {
			return 1
		}
		return 0
	}

	selected := map[string]bool{}
	if *only != "" {
		known := map[string]bool{}
		for _, n := range append(host.ScenarioNames(), host.OptInScenarioNames()...) {
			known[n] = true
		}
		for _, n := range strings.Split(*only, ",") {
			n = strings.TrimSpace(n)
			if !known[n] {
				fmt.Fprintf(stderr, "host: unknown scenario %q (see --list)\n", n)
				return 2
			}
			selected[n] = true
		}
	}

	h := &host.Harness{PluginPath: path, Logger: logger, LaunchTimeout: time.Minute, AutoMTLS: *autoMTLS}
	var report func(host.Result)
	if !*asJSON {
		report = func(r host.Result) {
			if r.OK {
				fmt.Fprintf(stdout, "PASS %s\n", r.Name)
			} else {
				fmt.Fprintf(stdout, "FAIL %s: %s\n", r.Name, oneLine(r.Error))
			}
		}
	}
	results := host.RunScenarios(h, selected, *timeout, report)
	ok := true
	for _, r := range results {
		ok = ok && r.OK
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(Report{Plugin: path, AutoMTLS: *autoMTLS, OK: ok, Scenarios: results})
	}
	if !ok {
		if !*verbose {
			fmt.Fprintln(stderr, "--- host log (tail) ---")
			fmt.Fprint(stderr, tail(logBuf.String(), 8000))
		}
		return 1
	}
	return 0
}

func oneLine(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " ")
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
