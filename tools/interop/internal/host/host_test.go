package host

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gfsdk/gfsdk/tools/interop/internal/testbin"
)

var binDir string

func TestMain(m *testing.M) { testbin.Main(m, "interop-host-test", &binDir) }

func build(t *testing.T, pkg, name string) string {
	t.Helper()
	p, err := testbin.Build(binDir, pkg, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func harness(path string) *Harness {
	return &Harness{PluginPath: path, Logger: NewLogger(&SyncBuffer{}), LaunchTimeout: 30 * time.Second}
}

// refPluginScenarios selects the scenarios the Go reference plugin serves.
func refPluginScenarios() map[string]bool {
	only := map[string]bool{}
	for _, n := range RefPluginScenarioNames() {
		only[n] = true
	}
	return only
}

func TestAllScenariosPassAgainstGoReferencePlugin(t *testing.T) {
	p := build(t, "github.com/gfsdk/gfsdk/tools/interop/cmd/refplugin", "refplugin")
	results := RunScenarios(harness(p), refPluginScenarios(), 20*time.Second, nil)
	if len(results) != len(RefPluginScenarioNames()) {
		t.Fatalf("ran %d of %d scenarios", len(results), len(RefPluginScenarioNames()))
	}
	for _, r := range results {
		if !r.OK {
			t.Errorf("FAIL %s: %s", r.Name, r.Error)
		}
	}
}

// Every scenario that the bad plugin breaks must fail, and the ones it
// does not break must still pass.
func TestScenariosDetectContractViolations(t *testing.T) {
	p := build(t, "github.com/gfsdk/gfsdk/tools/interop/internal/host/testdata/badplugin", "badplugin")
	mustFail := map[string]bool{
		"handshake-line":                   true, // stray stdout line, exit status 3
		"check-health-ok":                  true, // wrong message
		"check-health-fail":                true, // never fails
		"query-random-walk-arrow":          true, // times decreasing
		"query-random-walk-json":           true,
		"query-random-walk-default-points": true,
		"query-all-types-arrow":            true,
		"query-all-types-json":             true,
		"query-rows":                       true, // value is int64, 1 row
		"query-error-plugin":               true,
		"query-error-downstream":           true,
		"query-slow":                       true,
		"query-slow-cancelled":             true, // answers at once
		"query-unknown-type":               true,
		"query-multi":                      true,
		"query-concurrent":                 true,
		"resource-echo-get":                true,
		"resource-echo-post":               true,
		"resource-stream":                  true, // 4 chunks
		"resource-not-found":               true,
		"stream-subscribe-not-found":       true,
		"stream-run":                       true, // not JSON
		"stream-publish-denied":            true,
		"stderr-logs":                      true, // plain-text line
		"kill":                             true, // exit status 3
		"restart":                          true,
		// The Go SDK v0.300.0 plugin serves none of these.
		"query-bad-model-values":     true,
		"check-health-error-source":  true,
		"resource-error-source":      true,
		"chunked-random-walk-arrow":  true,
		"chunked-random-walk-json":   true,
		"chunked-rows-arrow":         true,
		"chunked-rows-json":          true,
		"chunked-error":              true,
		"chunked-bad-model":          true,
		"chunked-slow-consumer":      true,
		"admission-validate-allowed": true,
		"admission-validate-denied":  true,
		"admission-mutate":           true,
		"conversion-convert":         true,
		"conversion-not-json":        true,
	}
	results := RunScenarios(harness(p), nil, 10*time.Second, nil)
	for _, r := range results {
		if mustFail[r.Name] && r.OK {
			t.Errorf("%s passed against the bad plugin", r.Name)
		}
		if !mustFail[r.Name] && !r.OK {
			t.Errorf("%s failed against the bad plugin: %s", r.Name, r.Error)
		}
		t.Logf("ok=%v %s %s", r.OK, r.Name, r.Error)
	}
}

func TestPartialRunLaunchesSilently(t *testing.T) {
	p := build(t, "github.com/gfsdk/gfsdk/tools/interop/cmd/refplugin", "refplugin")
	h := harness(p)
	results := RunScenarios(h, map[string]bool{"query-rows": true, "kill": true}, 20*time.Second, nil)
	if len(results) != 2 || !results[0].OK || !results[1].OK {
		t.Fatalf("%+v", results)
	}
	if h.Session != nil {
		t.Fatal("session left running")
	}
}

func TestBench(t *testing.T) {
	p := build(t, "github.com/gfsdk/gfsdk/tools/interop/cmd/refplugin", "refplugin")
	for _, q := range []string{"random_walk", "rows"} {
		r, err := Bench(BenchOptions{PluginPath: p, Query: q, Rows: 500, Concurrency: 2, Duration: 500 * time.Millisecond, Logger: NewLogger(&SyncBuffer{})})
		if err != nil {
			t.Fatal(err)
		}
		if r.Calls == 0 || r.Errors != 0 || r.PluginRssKB <= 0 || r.HandshakeMs <= 0 || r.P50Ms <= 0 || r.P99Ms < r.P50Ms {
			t.Fatalf("%s: implausible result %+v", q, r)
		}
	}
}

func TestAllScenariosPassWithAutoMTLSAgainstGoReferencePlugin(t *testing.T) {
	p := build(t, "github.com/gfsdk/gfsdk/tools/interop/cmd/refplugin", "refplugin")
	h := harness(p)
	h.AutoMTLS = true
	for _, r := range RunScenarios(h, refPluginScenarios(), 20*time.Second, nil) {
		if !r.OK {
			t.Errorf("FAIL %s: %s", r.Name, r.Error)
		}
	}
}

// A plugin that ignores PLUGIN_CLIENT_CERT (the reference plugin with the
// variable removed) serves plaintext and sends no certificate: AutoMTLS
// runs must fail, plaintext runs must not.
func TestAutoMTLSDetectsAPluginWithoutIt(t *testing.T) {
	p := build(t, "github.com/gfsdk/gfsdk/tools/interop/cmd/refplugin", "refplugin")
	wrapper := filepath.Join(t.TempDir(), "plaintext-plugin")
	script := "#!/bin/sh\nunset PLUGIN_CLIENT_CERT\nexec '" + p + "' \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil { // #nosec G306 -- an executable
		t.Fatal(err)
	}
	only := map[string]bool{"handshake-line": true, "launch": true, "check-health-ok": true, "kill": true}
	for _, autoMTLS := range []bool{false, true} {
		h := harness(wrapper)
		h.AutoMTLS = autoMTLS
		for _, r := range RunScenarios(h, only, 10*time.Second, nil) {
			if r.OK == autoMTLS {
				t.Errorf("autoMTLS=%v: %s ok=%v (%s)", autoMTLS, r.Name, r.OK, r.Error)
			}
		}
	}
}

func TestParseServerCertificate(t *testing.T) {
	c, err := NewClientCertificate()
	if err != nil {
		t.Fatal(err)
	}
	der := c.TLS.Certificate[0]
	cert, err := ParseServerCertificate(base64.RawStdEncoding.EncodeToString(der))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckServerCertificate(cert); err == nil || !strings.Contains(err.Error(), "expires") {
		t.Errorf("a one-day certificate: %v", err) // P-521, localhost, CA, both usages: only the lifetime differs
	}
	for _, field := range []string{"", "short", strings.Repeat("A", 60), base64.StdEncoding.EncodeToString(der) + "=="} {
		if _, err := ParseServerCertificate(field); err == nil {
			t.Errorf("accepted %q", field)
		}
	}
}
