// Command soak launches a plugin executable the way Grafana's plugin manager
// does (internal/host's go-plugin ClientConfig, no host environment) and
// drives it for --duration with --concurrency workers issuing a weighted mix
// of every RPC of the testdata contract, while data source settings change
// and queries, chunked queries, resource streams and live streams are
// cancelled mid-call. It prints one JSON summary on stdout and exits 1 when
// any answer was not the contract's or a bound was exceeded, 2 on a usage
// error.
//
//	soak --plugin PATH [--duration 10m] [--concurrency 64] [--warmup 60s]
//	     [--sample 5s] [--settings-every 100ms] [--datasources 4]
//	     [--max-rss-growth-mb 64] [--fd-slack 4] [--handle-slack 8]
//	     [--settle 10s] [--call-timeout 30s] [--seed 1] [--progress] [--verbose]
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

	"github.com/hashicorp/go-hclog"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
	"github.com/gfsdk/gfsdk/tools/interop/internal/soak"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plugin := fs.String("plugin", "", "path to the plugin executable (e.g. dist/gpx_testdata_linux_amd64)")
	duration := fs.Duration("duration", 10*time.Minute, "how long the load runs")
	concurrency := fs.Int("concurrency", 64, "concurrent workers")
	warmup := fs.Duration("warmup", time.Minute, "first part of the load whose peak RSS is the baseline for growth")
	sample := fs.Duration("sample", 5*time.Second, "RSS sampling period")
	settingsEvery := fs.Duration("settings-every", 100*time.Millisecond, "period of data source settings updates (one data source each)")
	dataSources := fs.Int("datasources", 4, "number of data source UIDs the calls spread over")
	maxGrowth := fs.Float64("max-rss-growth-mb", 64, "bound on RSS growth after warm-up, MB (peak after warm-up and RSS after the load, each minus the warm-up peak)")
	fdSlack := fs.Int("fd-slack", 4, "fds (and sockets) the plugin may hold at the end beyond the start count")
	handleSlack := fs.Int("handle-slack", 8, "Node.js active handles and resources the plugin may report at the end beyond the start count")
	settle := fs.Duration("settle", 10*time.Second, "longest wait after the load for fds and handles to come back within bounds")
	callTimeout := fs.Duration("call-timeout", 30*time.Second, "time limit of every call the soak does not cancel itself")
	seed := fs.Uint64("seed", 1, "random seed of the mix")
	progress := fs.Bool("progress", false, "print one line per RSS sample on stderr")
	only := fs.String("only", "", "comma-separated operations to run (default: all; see --list)")
	list := fs.Bool("list", false, "list the operations of the mix and exit")
	pluginLog := fs.String("plugin-log", "", "write the plugin's raw stderr lines to this file")
	var pluginEnv []string
	fs.Func("plugin-env", "KEY=VALUE added to the plugin's environment, for diagnosis (repeatable)", func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("%q is not KEY=VALUE", v)
		}
		pluginEnv = append(pluginEnv, v)
		return nil
	})
	verbose := fs.Bool("verbose", false, "stream go-plugin's log (warnings and errors) to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *list {
		for _, n := range soak.OperationNames() {
			fmt.Fprintln(stdout, n)
		}
		return 0
	}
	if fs.NArg() > 0 || *plugin == "" {
		fmt.Fprintln(stderr, "soak: --plugin PATH is required and takes no arguments")
		fs.Usage()
		return 2
	}
	if *duration <= 0 || *concurrency < 1 || *sample <= 0 || *settingsEvery <= 0 || *dataSources < 1 || *warmup >= *duration {
		fmt.Fprintln(stderr, "soak: --duration, --sample and --settings-every must be positive, --concurrency and --datasources at least 1, --warmup shorter than --duration")
		return 2
	}
	path, err := filepath.Abs(*plugin)
	if err != nil {
		fmt.Fprintln(stderr, "soak:", err)
		return 2
	}
	if st, err := os.Stat(path); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		fmt.Fprintf(stderr, "soak: %s is not an executable file\n", path)
		return 2
	}
	o := soak.Options{
		PluginPath: path, Duration: *duration, Concurrency: *concurrency, Warmup: *warmup,
		SampleEvery: *sample, SettingsEvery: *settingsEvery, DataSources: *dataSources,
		Settle: *settle, CallTimeout: *callTimeout, Seed: *seed, PluginEnv: pluginEnv,
		Bounds: soak.Bounds{MaxRSSGrowthMB: *maxGrowth, FDSlack: *fdSlack, HandleSlack: *handleSlack},
	}
	if *verbose {
		o.Logger = host.NewLogger(&host.SyncWriter{W: stderr})
		o.Logger.SetLevel(hclog.Warn) // the plugin logs every call at debug
	}
	if *only != "" {
		o.Only = map[string]bool{}
		for _, n := range strings.Split(*only, ",") {
			o.Only[strings.TrimSpace(n)] = true
		}
	}
	if *pluginLog != "" {
		f, err := os.Create(*pluginLog)
		if err != nil {
			fmt.Fprintln(stderr, "soak:", err)
			return 2
		}
		defer f.Close()
		o.PluginLog = f
	}
	if *progress {
		o.Progress = &host.SyncWriter{W: stderr}
	}
	sum, err := soak.Run(o)
	if err != nil {
		fmt.Fprintln(stderr, "soak:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sum); err != nil {
		fmt.Fprintln(stderr, "soak:", err)
		return 1
	}
	if !sum.OK {
		fmt.Fprintf(stderr, "soak: %d unexpected answers, violations: %v\n", sum.Unexpected, sum.Violations)
		return 1
	}
	return 0
}
