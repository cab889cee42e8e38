package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gfsdk/gfsdk/tools/interop/internal/testbin"
)

var binDir string

func TestMain(m *testing.M) { testbin.Main(m, "interop-cmd-smoke-test", &binDir) }

const refPluginID = "gfsdk-testdata-datasource"

func refPlugin(t *testing.T) string {
	t.Helper()
	p, err := testbin.Build(binDir, "github.com/gfsdk/gfsdk/tools/interop/cmd/refplugin", "gpx_testdata_linux_amd64")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func runJSON(t *testing.T, args ...string) (int, Report, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append(args, "--json"), &out, &errOut)
	var rep Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s\n%s", code, err, out.String(), errOut.String())
	}
	return code, rep, errOut.String()
}

func TestReportsHealthAndDecodedFramesOfTheReferencePlugin(t *testing.T) {
	if os.Getenv("PATH") == "" {
		t.Fatal("PATH is empty: the check that the plugin does not inherit it would prove nothing")
	}
	code, rep, stderr := runJSON(t, "--plugin", refPlugin(t), "--plugin-id", refPluginID,
		"--query-type", "random_walk", "--query-json", `{"seriesCount":2,"seed":7}`)
	if code != 0 || !rep.OK || rep.Error != "" {
		t.Fatalf("exit %d: %+v\n%s", code, rep, stderr)
	}
	if rep.PluginID != refPluginID || rep.Handshake == nil || rep.Handshake.ProtocolVersion != 2 || rep.Handshake.Pid <= 0 {
		t.Errorf("plugin id / handshake: %q %+v", rep.PluginID, rep.Handshake)
	}
	if rep.Health == nil || rep.Health.Status != "OK" || rep.Health.Message != "Data source is working" {
		t.Errorf("health %+v", rep.Health)
	}
	if len(rep.Frames) != 2 {
		t.Fatalf("%d frames, want 2: %+v", len(rep.Frames), rep.Frames)
	}
	for _, f := range rep.Frames {
		want := []FieldReport{{Name: "time", Type: "time.Time"}, {Name: "value", Type: "float64"}}
		if !slices.Equal(f.Fields, want) || f.Rows < 1 || f.Rows > 100 {
			t.Errorf("frame %+v", f)
		}
	}
	if rep.Stop == nil || rep.Stop.ExitCode != 0 {
		t.Errorf("stop %+v", rep.Stop)
	}
	for _, name := range []string{"GF_VERSION", "GF_EDITION", "PLUGIN_PROTOCOL_VERSIONS", "grafana_plugin_type"} {
		if !slices.Contains(rep.PluginEnv, name) {
			t.Errorf("plugin env %v lacks %s", rep.PluginEnv, name)
		}
	}
	for _, name := range []string{"PATH", "HOME"} {
		if slices.Contains(rep.PluginEnv, name) {
			t.Errorf("plugin env %v has the host's %s", rep.PluginEnv, name)
		}
	}
}

func TestHostEnvFlagPassesTheHostEnvironment(t *testing.T) {
	code, rep, stderr := runJSON(t, "--plugin", refPlugin(t), "--plugin-id", refPluginID, "--host-env")
	if code != 0 || !rep.OK {
		t.Fatalf("exit %d: %+v\n%s", code, rep, stderr)
	}
	if !slices.Contains(rep.PluginEnv, "PATH") {
		t.Errorf("plugin env %v lacks PATH", rep.PluginEnv)
	}
	if len(rep.Frames) != 0 {
		t.Errorf("frames without a query: %+v", rep.Frames)
	}
}

func TestReadsThePluginIDFromPluginJSONAndPrintsATable(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "gpx_testdata_linux_amd64")
	b, err := os.ReadFile(refPlugin(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := `{"id":"` + refPluginID + `","type":"datasource","backend":true,"executable":"gpx_testdata"}`
	if err := os.WriteFile(filepath.Join(dir, "plugin.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"--plugin", exe, "--query-type", "rows", "--query-json", `{"rows":3}`, "--rows", "2"}, &out, &errOut)
	text := out.String()
	for _, want := range []string{
		"(id " + refPluginID + ")", "handshake: ok, protocol 2", `health: OK "Data source is working"`,
		"frame 1 of 1 (3 rows):", "Dimensions: 3 Fields by 3 Rows", "Name: label", "Type: []string",
		"stopped: exit status 0", "\nPASS\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if code != 0 || t.Failed() {
		t.Fatalf("exit %d:\n%s\n%s", code, text, errOut.String())
	}
}

func TestFailsOnAnExecutableThatIsNotAPlugin(t *testing.T) {
	code, rep, stderr := runJSON(t, "--plugin", "/bin/true", "--plugin-id", "x-datasource", "--timeout", "10s")
	if code != 1 || rep.OK || !strings.HasPrefix(rep.Error, "launch: ") || rep.Health != nil || rep.Handshake != nil {
		t.Fatalf("exit %d: %+v", code, rep)
	}
	if !strings.Contains(stderr, "go-plugin log") {
		t.Errorf("no log tail on stderr: %q", stderr)
	}
}

func TestFailsOnAFileThatIsNotExecutable(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gpx_x_linux_amd64")
	if err := os.WriteFile(p, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, rep, _ := runJSON(t, "--plugin", p, "--plugin-id", "x-datasource")
	if code != 1 || rep.OK || !strings.Contains(rep.Error, "is not an executable file") {
		t.Fatalf("exit %d: %+v", code, rep)
	}
}

func TestFailsOnAFailedHealthCheck(t *testing.T) {
	code, rep, _ := runJSON(t, "--plugin", refPlugin(t), "--plugin-id", refPluginID, "--json-data", `{"fail":true}`)
	if code != 1 || rep.OK || rep.Health == nil || rep.Health.Status != "ERROR" || !strings.Contains(rep.Error, "want OK") {
		t.Fatalf("exit %d: %+v", code, rep)
	}
	if rep.Stop == nil || rep.Stop.ExitCode != 0 {
		t.Errorf("the plugin was not stopped cleanly after the failure: %+v", rep.Stop)
	}
}

func TestFailsOnAQueryError(t *testing.T) {
	code, rep, _ := runJSON(t, "--plugin", refPlugin(t), "--plugin-id", refPluginID,
		"--query-type", "error", "--query-json", `{"source":"downstream","status":502,"message":"upstream down"}`)
	if code != 1 || rep.OK || rep.Health == nil || rep.Health.Status != "OK" {
		t.Fatalf("exit %d: %+v", code, rep)
	}
	if !strings.Contains(rep.Error, "refId A") || !strings.Contains(rep.Error, "upstream down") || !strings.Contains(rep.Error, "status 502") {
		t.Errorf("error %q", rep.Error)
	}
}

func TestUsageErrors(t *testing.T) {
	cases := map[string][]string{
		"no --plugin":                  {},
		"invalid --query-json":         {"--plugin", "/bin/true", "--plugin-id", "x", "--query-json", "{"},
		"invalid --json-data":          {"--plugin", "/bin/true", "--plugin-id", "x", "--json-data", "nope"},
		"no id and no plugin.json":     {"--plugin", filepath.Join(t.TempDir(), "gpx_x_linux_amd64")},
		"stray positional argument":    {"--plugin", "/bin/true", "--plugin-id", "x", "extra"},
		"negative --rows":              {"--plugin", "/bin/true", "--plugin-id", "x", "--rows", "-1"},
		"unknown flag":                 {"--plugin", "/bin/true", "--nope"},
		"plugin.json without an id":    {"--plugin", manifestWithoutID(t)},
		"plugin.json that is not JSON": {"--plugin", brokenManifest(t)},
	}
	for name, args := range cases {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 || errOut.Len() == 0 {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut.String())
		}
	}
}

func manifestWithoutID(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plugin.json"), []byte(`{"type":"datasource"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "gpx_x_linux_amd64")
}

func brokenManifest(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plugin.json"), []byte(`{`), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "gpx_x_linux_amd64")
}
