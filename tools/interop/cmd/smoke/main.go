// Command smoke launches any Grafana backend plugin executable (gfsdk or Go)
// exactly as Grafana's plugin manager does and runs a short generic check on
// it: the go-plugin handshake, CheckHealth, optionally one QueryData query
// (refId A) whose frames are decoded with the Go SDK's own decoder, then a
// clean stop. It exits non-zero on any failure.
//
//	smoke --plugin PATH [--plugin-id ID] [--json-data JSON]
//	      [--query-type T] [--query-json MODEL] [--rows N]
//	      [--json] [--host-env] [--timeout 60s] [--verbose]
//
// The plugin id and type come from plugin.json beside the executable, as
// Grafana reads them, unless --plugin-id is given. By default the plugin gets
// no host environment (go-plugin's SkipHostEnv, as Grafana with its
// pluginsSkipHostEnvVars toggle): only Grafana's variables and go-plugin's
// own, so a plugin that needs PATH or HOME fails here.
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

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Report is the --json output.
type Report struct {
	OK       bool   `json:"ok"`
	Plugin   string `json:"plugin"`
	PluginID string `json:"pluginId"`
	// Handshake is set once go-plugin's client is connected and every v2
	// service is dispensed.
	Handshake *HandshakeReport `json:"handshake,omitempty"`
	Health    *HealthReport    `json:"health,omitempty"`
	// Frames are the frames of refId A, decoded by the Go SDK; empty when no
	// query was asked for.
	Frames []FrameReport `json:"frames"`
	// PluginEnv holds the names of the environment variables the plugin
	// process started with (from /proc/<pid>/environ; Linux only).
	PluginEnv []string    `json:"pluginEnv,omitempty"`
	Stop      *StopReport `json:"stop,omitempty"`
	Error     string      `json:"error,omitempty"`
}

// HandshakeReport describes the go-plugin connection.
type HandshakeReport struct {
	ProtocolVersion int   `json:"protocolVersion"`
	Pid             int   `json:"pid"`
	Ms              int64 `json:"ms"`
}

// HealthReport is the CheckHealth result.
type HealthReport struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// FrameReport summarises one decoded frame.
type FrameReport struct {
	Name   string        `json:"name"`
	Fields []FieldReport `json:"fields"`
	Rows   int           `json:"rows"`
}

// FieldReport is one field's name and Go SDK type (e.g. time.Time, *float64).
type FieldReport struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// StopReport describes how the plugin ended after go-plugin's Kill.
type StopReport struct {
	Ms       int64 `json:"ms"`
	ExitCode int   `json:"exitCode"`
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plugin := fs.String("plugin", "", "path to the plugin executable (e.g. dist/gpx_myplugin_linux_amd64)")
	pluginID := fs.String("plugin-id", "", "plugin id for the plugin context (default: id from plugin.json beside the executable)")
	jsonData := fs.String("json-data", "{}", "the data source's (or app's) jsonData")
	queryType := fs.String("query-type", "", "run QueryData with one query (refId A) of this queryType")
	queryJSON := fs.String("query-json", "", "run QueryData with one query (refId A) with this model JSON")
	rows := fs.Int("rows", 10, "rows of each frame to print")
	asJSON := fs.Bool("json", false, "print a JSON report instead of text")
	hostEnv := fs.Bool("host-env", false, "pass the host environment to the plugin too (Grafana's default), not only Grafana's and go-plugin's variables")
	timeout := fs.Duration("timeout", 60*time.Second, "time limit for the launch and for each call")
	verbose := fs.Bool("verbose", false, "stream go-plugin's log (with the plugin's re-logged stderr) to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "smoke: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *plugin == "" {
		fmt.Fprintln(stderr, "smoke: --plugin is required")
		fs.Usage()
		return 2
	}
	path, err := filepath.Abs(*plugin)
	if err != nil {
		fmt.Fprintln(stderr, "smoke:", err)
		return 2
	}
	if !json.Valid([]byte(*jsonData)) {
		fmt.Fprintln(stderr, "smoke: --json-data is not valid JSON")
		return 2
	}
	if *queryJSON != "" && !json.Valid([]byte(*queryJSON)) {
		fmt.Fprintln(stderr, "smoke: --query-json is not valid JSON")
		return 2
	}
	if *rows < 0 {
		fmt.Fprintln(stderr, "smoke: --rows must be 0 or more")
		return 2
	}

	opts := checkOptions{
		Path:        path,
		PluginID:    *pluginID,
		JSONData:    *jsonData,
		Query:       *queryType != "" || *queryJSON != "",
		QueryType:   *queryType,
		QueryJSON:   *queryJSON,
		Timeout:     *timeout,
		SkipHostEnv: !*hostEnv,
	}
	if opts.PluginID == "" {
		manifest, err := readManifest(filepath.Join(filepath.Dir(path), "plugin.json"))
		if err != nil {
			fmt.Fprintf(stderr, "smoke: no --plugin-id and %v\n", err)
			return 2
		}
		opts.PluginID, opts.App = manifest.ID, manifest.Type == "app"
	}

	// go-plugin's own log plus the plugin's stderr as go-plugin re-logs it;
	// kept to explain a failure.
	logBuf := &host.SyncBuffer{}
	var logOut io.Writer = logBuf
	if *verbose {
		logOut = io.MultiWriter(logBuf, stderr)
	}
	opts.Logger = host.NewLogger(&host.SyncWriter{W: logOut})

	rep, frames := check(opts)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		printText(stdout, rep, frames, *rows)
	}
	if !rep.OK {
		if !*verbose {
			fmt.Fprintln(stderr, "--- go-plugin log (tail) ---")
			fmt.Fprint(stderr, tail(logBuf.String(), 8000))
		}
		return 1
	}
	return 0
}

// manifest is the part of plugin.json Grafana needs to launch a backend.
type manifest struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

func readManifest(path string) (manifest, error) {
	var m manifest
	b, err := os.ReadFile(path) // #nosec G304 -- the plugin's own manifest
	if err != nil {
		return m, fmt.Errorf("cannot read plugin.json: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if m.ID == "" {
		return m, fmt.Errorf("%s has no id", path)
	}
	return m, nil
}

func printText(w io.Writer, rep Report, frames data.Frames, rows int) {
	fmt.Fprintf(w, "plugin: %s (id %s)\n", rep.Plugin, rep.PluginID)
	if h := rep.Handshake; h != nil {
		fmt.Fprintf(w, "handshake: ok, protocol %d, pid %d, %d ms\n", h.ProtocolVersion, h.Pid, h.Ms)
	}
	if rep.PluginEnv != nil {
		fmt.Fprintf(w, "plugin environment: %s\n", strings.Join(rep.PluginEnv, " "))
	}
	if h := rep.Health; h != nil {
		fmt.Fprintf(w, "health: %s %q\n", h.Status, h.Message)
	}
	for i, f := range rep.Frames {
		fmt.Fprintf(w, "frame %d of %d (%d rows):\n", i+1, len(rep.Frames), f.Rows)
		if i < len(frames) && rows > 0 {
			table, err := frames[i].StringTable(-1, rows)
			if err != nil {
				table = fmt.Sprintf("(cannot print: %v)\n", err)
			}
			fmt.Fprint(w, table)
		}
	}
	if s := rep.Stop; s != nil {
		fmt.Fprintf(w, "stopped: exit status %d after %d ms\n", s.ExitCode, s.Ms)
	}
	if rep.OK {
		fmt.Fprintln(w, "PASS")
	} else {
		fmt.Fprintf(w, "FAIL: %s\n", rep.Error)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
