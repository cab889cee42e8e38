package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
	"github.com/gfsdk/gfsdk/tools/interop/internal/testbin"
)

var binDir string

func TestMain(m *testing.M) { testbin.Main(m, "interop-cmd-host-test", &binDir) }

func refPlugin(t *testing.T) string {
	t.Helper()
	p, err := testbin.Build(binDir, "github.com/gfsdk/gfsdk/tools/interop/cmd/refplugin", "gpx_testdata_linux_amd64")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestJSONReportAgainstReferencePlugin(t *testing.T) {
	p := refPlugin(t)
	var out, errOut bytes.Buffer
	// The reference plugin serves every default scenario but the issue-8
	// additions (host.Scenario.NotInRefPlugin).
	code := run([]string{"--plugin", p, "--json", "--only", strings.Join(host.RefPluginScenarioNames(), ",")}, &out, &errOut)
	var rep Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if code != 0 || !rep.OK {
		t.Fatalf("exit %d: %s\n%s", code, out.String(), errOut.String())
	}
	if len(rep.Scenarios) != len(host.RefPluginScenarioNames()) {
		t.Fatalf("%d scenarios reported", len(rep.Scenarios))
	}
	for _, s := range rep.Scenarios {
		if !s.OK || s.Error != "" || s.Ms < 0 {
			t.Errorf("%+v", s)
		}
	}
}

func TestTextLinesAndOnly(t *testing.T) {
	p := refPlugin(t)
	var out, errOut bytes.Buffer
	code := run([]string{"--plugin", p, "--only", "check-health-ok,query-rows,kill,restart"}, &out, &errOut)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"PASS check-health-ok", "PASS query-rows", "PASS kill", "PASS restart"}
	if code != 0 || strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("exit %d, lines %q, stderr %s", code, lines, errOut.String())
	}
}

func TestFailingPluginExitsOne(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"--plugin", "/bin/true", "--only", "no-magic-cookie,check-health-ok"}, &out, &errOut)
	if code != 1 || !strings.HasPrefix(out.String(), "FAIL no-magic-cookie: ") || !strings.Contains(out.String(), "\nFAIL check-health-ok: plugin not launched") {
		t.Fatalf("exit %d, out %q", code, out.String())
	}
}

func TestBenchJSON(t *testing.T) {
	p := refPlugin(t)
	var out, errOut bytes.Buffer
	code := run([]string{"--plugin", p, "--bench", "--query", "rows", "--rows", "2000", "--concurrency", "2", "--duration", "500ms"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errOut.String())
	}
	var m map[string]interface{}
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"calls", "callsPerSec", "p50ms", "p99ms", "pluginRssKB", "handshakeMs"} {
		if v, ok := m[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v", k, m[k])
		}
	}
}

func TestUsageErrors(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{}, &out, &errOut); code != 2 {
		t.Fatalf("no --plugin: exit %d", code)
	}
	if code := run([]string{"--plugin", os.Args[0], "--only", "nope"}, &out, &errOut); code != 2 {
		t.Fatalf("unknown scenario: exit %d", code)
	}
	out.Reset()
	if code := run([]string{"--list"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "stream-run\n") {
		t.Fatalf("--list: exit %d %q", code, out.String())
	}
}

func TestAutoMTLSJSONReport(t *testing.T) {
	p := refPlugin(t)
	var out, errOut bytes.Buffer
	code := run([]string{"--plugin", p, "--automtls", "--json", "--only", "handshake-line,launch,health-ping,kill"}, &out, &errOut)
	var rep Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if code != 0 || !rep.OK || !rep.AutoMTLS || len(rep.Scenarios) != 4 {
		t.Fatalf("exit %d: %s\n%s", code, out.String(), errOut.String())
	}
}
