package host

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/gfsdk/gfsdk/tools/interop/internal/framecmp"
	"github.com/gfsdk/gfsdk/tools/interop/internal/vectors"
)

// Harness carries what the scenarios share.
type Harness struct {
	PluginPath    string
	Logger        hclog.Logger
	LaunchTimeout time.Duration
	// AutoMTLS runs every scenario over go-plugin's AutoMTLS (mutual TLS
	// with one-time certificates) instead of Grafana's plaintext.
	AutoMTLS bool
	Session  *Session

	launchAttempted bool
	launchErr       error
}

// Scenario is one named check against the plugin.
type Scenario struct {
	Name string
	// Session: the scenario needs the launched plugin (launch runs first).
	Session bool
	// OptIn: run only when named in --only (too heavy for every run, or
	// beyond what the Go reference plugin implements).
	OptIn bool
	// Timeout, when set, replaces the run's time limit for this scenario.
	Timeout time.Duration
	// NotInRefPlugin: a scenario that the Go reference plugin (cmd/refplugin)
	// cannot serve: admission and conversion, which SDK v0.300.0 dropped.
	// Its tests leave them out.
	NotInRefPlugin bool
	Run            func(ctx context.Context, h *Harness) error
}

// Result is one scenario's outcome.
type Result struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	Ms    int64  `json:"ms"`
}

// Scenarios lists every scenario in run order.
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "no-magic-cookie", Run: scNoMagicCookie},
		{Name: "handshake-line", Run: scHandshakeLine},
		{Name: "launch", Run: scLaunch},
		{Name: "health-ping", Session: true, Run: scHealthPing},
		{Name: "check-health-ok", Session: true, Run: scCheckHealthOK},
		{Name: "check-health-fail", Session: true, Run: scCheckHealthFail},
		{Name: "query-random-walk-arrow", Session: true, Run: scRandomWalk(pluginv2.DataFrameFormat_ARROW)},
		{Name: "query-random-walk-json", Session: true, Run: scRandomWalk(pluginv2.DataFrameFormat_JSON)},
		{Name: "query-random-walk-default-points", Session: true, Run: scRandomWalkDefault},
		{Name: "query-all-types-arrow", Session: true, Run: scAllTypes(pluginv2.DataFrameFormat_ARROW)},
		{Name: "query-all-types-json", Session: true, Run: scAllTypes(pluginv2.DataFrameFormat_JSON)},
		{Name: "query-rows", Session: true, Run: scRows},
		{Name: "query-error-plugin", Session: true, Run: scError("plugin", 0, "")},
		{Name: "query-error-downstream", Session: true, Run: scError("downstream", 502, "upstream said no 🦥")},
		{Name: "query-slow", Session: true, Run: scSlow},
		{Name: "query-slow-cancelled", Session: true, Run: scSlowCancelled},
		{Name: "query-unknown-type", Session: true, Run: scUnknownType},
		{Name: "query-multi", Session: true, Run: scMulti},
		{Name: "query-concurrent", Session: true, Run: scConcurrent},
		{Name: "resource-echo-get", Session: true, Run: scEcho("GET")},
		{Name: "resource-echo-post", Session: true, Run: scEcho("POST")},
		{Name: "resource-stream", Session: true, Run: scResourceStream},
		{Name: "resource-not-found", Session: true, Run: scResourceNotFound},
		{Name: "stream-subscribe-ok", Session: true, Run: scSubscribe("random/x", pluginv2.SubscribeStreamResponse_OK)},
		{Name: "stream-subscribe-not-found", Session: true, Run: scSubscribe("other/x", pluginv2.SubscribeStreamResponse_NOT_FOUND)},
		{Name: "stream-run", Session: true, Run: scRunStream},
		{Name: "stream-publish-denied", Session: true, Run: scPublish},
		{Name: "query-bad-model-values", Session: true, Run: scBadModelValues},
		{Name: "check-health-error-source", Session: true, Run: scCheckHealthErrorSource},
		{Name: "resource-error-source", Session: true, Run: scResourceErrorSource},
		{Name: "chunked-random-walk-arrow", Session: true, Run: scChunkedRandomWalk(pluginv2.DataFrameFormat_ARROW)},
		{Name: "chunked-random-walk-json", Session: true, Run: scChunkedRandomWalk(pluginv2.DataFrameFormat_JSON)},
		{Name: "chunked-rows-arrow", Session: true, Run: scChunkedRows(pluginv2.DataFrameFormat_ARROW)},
		{Name: "chunked-rows-json", Session: true, Run: scChunkedRows(pluginv2.DataFrameFormat_JSON)},
		{Name: "chunked-error", Session: true, Run: scChunkedError},
		{Name: "chunked-bad-model", Session: true, Run: scChunkedBadModel},
		{Name: "chunked-slow-consumer", Session: true, Timeout: 60 * time.Second, Run: scChunkedSlowConsumer},
		{Name: "admission-validate-allowed", Session: true, NotInRefPlugin: true, Run: scValidateAllowed},
		{Name: "admission-validate-denied", Session: true, NotInRefPlugin: true, Run: scValidateDenied},
		{Name: "admission-mutate", Session: true, NotInRefPlugin: true, Run: scMutate},
		{Name: "conversion-convert", Session: true, NotInRefPlugin: true, Run: scConvert},
		{Name: "conversion-not-json", Session: true, NotInRefPlugin: true, Run: scConvertNotJSON},
		{Name: "collect-metrics", Session: true, Run: scCollectMetrics},
		{Name: "metrics-count-every-call", Session: true, Run: scMetricsCountEveryCall},
		{Name: "stderr-logs", Session: true, Run: scStderrLogs},
		{Name: "kill", Session: true, Run: scKill},
		{Name: "restart", Run: scRestart},
		{Name: "query-rows-10m", Session: true, OptIn: true, Timeout: 120 * time.Second, Run: scRowsTenMillion},
	}
}

// ScenarioNames returns the names of the scenarios of a default run, in order.
func ScenarioNames() []string {
	var names []string
	for _, s := range Scenarios() {
		if !s.OptIn {
			names = append(names, s.Name)
		}
	}
	return names
}

// RefPluginScenarioNames returns the names of the scenarios of a default run
// that the Go reference plugin serves.
func RefPluginScenarioNames() []string {
	var names []string
	for _, s := range Scenarios() {
		if !s.OptIn && !s.NotInRefPlugin {
			names = append(names, s.Name)
		}
	}
	return names
}

// OptInScenarioNames returns the names of the scenarios that run only when
// selected by name.
func OptInScenarioNames() []string {
	var names []string
	for _, s := range Scenarios() {
		if s.OptIn {
			names = append(names, s.Name)
		}
	}
	return names
}

// RunScenarios runs the selected scenarios (all when only is empty), each
// bounded by timeout, and always stops the plugin at the end.
func RunScenarios(h *Harness, only map[string]bool, timeout time.Duration, report func(Result)) []Result {
	var results []Result
	defer func() {
		if h.Session != nil {
			h.Session.Kill(5 * time.Second)
			h.Session = nil
		}
	}()
	for _, sc := range Scenarios() {
		if (len(only) > 0 || sc.OptIn) && !only[sc.Name] {
			continue
		}
		if sc.Session && h.Session == nil && !h.launchAttempted {
			// a partial run without "launch": start the plugin silently
			h.launchAttempted = true
			h.launchErr = launchInto(h)
		}
		r := runOne(h, sc, timeout)
		results = append(results, r)
		if report != nil {
			report(r)
		}
	}
	return results
}

func launchInto(h *Harness) error {
	s, err := Launch(h.PluginPath, h.Logger, h.LaunchTimeout, LaunchOptions{AutoMTLS: h.AutoMTLS})
	if err != nil {
		return err
	}
	h.Session = s
	return nil
}

func runOne(h *Harness, sc Scenario, timeout time.Duration) Result {
	if sc.Timeout > 0 {
		timeout = sc.Timeout
	}
	start := time.Now()
	r := Result{Name: sc.Name}
	if sc.Session && h.Session == nil {
		r.Error = "plugin not launched"
		if h.launchErr != nil {
			r.Error += ": " + trunc(strings.Join(strings.Fields(h.launchErr.Error()), " "))
		}
		return r
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("panic: %v", p)
			}
		}()
		done <- sc.Run(ctx, h)
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(timeout + 2*time.Second):
		err = fmt.Errorf("timed out after %s", timeout)
	}
	r.Ms = time.Since(start).Milliseconds()
	if err != nil {
		r.Error = err.Error()
	} else {
		r.OK = true
	}
	return r
}

// ---------------------------------------------------------------- process

// baseEnv is the host environment without any go-plugin variables.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == Handshake.MagicCookieKey || strings.HasPrefix(k, "PLUGIN_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

type procResult struct {
	code           int
	stdout, stderr string
}

func runDirect(ctx context.Context, path string, env []string) (procResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path) // #nosec G204 -- the plugin under test
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		return procResult{}, errors.New("did not exit within 10 s")
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return procResult{}, err
	}
	return procResult{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}, nil
}

func scNoMagicCookie(ctx context.Context, h *Harness) error {
	variants := []struct {
		what string
		env  []string
	}{
		{"no magic cookie", baseEnv()},
		{"wrong magic cookie value", append(baseEnv(), Handshake.MagicCookieKey+"=app", "PLUGIN_PROTOCOL_VERSIONS=2")},
	}
	for _, v := range variants {
		r, err := runDirect(ctx, h.PluginPath, v.env)
		if err != nil {
			return fmt.Errorf("%s: %w", v.what, err)
		}
		if r.code != 1 {
			return fmt.Errorf("%s: exit status %d, want 1 (stderr: %q)", v.what, r.code, trunc(r.stderr))
		}
		if r.stdout != "" {
			return fmt.Errorf("%s: stdout not empty: %q", v.what, trunc(r.stdout))
		}
		if strings.TrimSpace(r.stderr) == "" {
			return fmt.Errorf("%s: nothing on stderr", v.what)
		}
	}
	return nil
}

var handshakeRe = regexp.MustCompile(`^1\|2\|(unix|tcp)\|([^|]+)\|grpc(\|[^|]*)?$`)

// scHandshakeLine launches the plugin without go-plugin, checks the first
// stdout line strictly, asks it to shut down over plugin.GRPCController
// and checks that nothing else reached stdout and that it exited with 0.
// With AutoMTLS it passes a host certificate in PLUGIN_CLIENT_CERT, dials
// with mutual TLS as go-plugin would, and checks that clients without the
// host's certificate are refused.
func scHandshakeLine(ctx context.Context, h *Harness) error {
	cmd := exec.Command(h.PluginPath) // #nosec G204 -- the plugin under test
	cmd.Env = append(baseEnv(), GrafanaEnv...)
	cmd.Env = append(cmd.Env,
		Handshake.MagicCookieKey+"="+Handshake.MagicCookieValue,
		"PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000", "PLUGIN_PROTOCOL_VERSIONS=2")
	var clientCert *ClientCertificate
	if h.AutoMTLS {
		var err error
		if clientCert, err = NewClientCertificate(); err != nil {
			return err
		}
		cmd.Env = append(cmd.Env, "PLUGIN_CLIENT_CERT="+string(clientCert.PEM))
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	var rest []byte
	var waitErr error
	lineCh := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lineCh <- line
		rest, _ = io.ReadAll(r)
		waitErr = cmd.Wait()
		close(exited)
	}()
	defer func() {
		select {
		case <-exited:
		default:
			_ = cmd.Process.Kill()
			<-exited
		}
	}()

	var line string
	select {
	case line = <-lineCh:
	case <-ctx.Done():
		return errors.New("no handshake line before the scenario timeout")
	}
	handshakeTime := time.Since(start)
	if !strings.HasSuffix(line, "\n") {
		return fmt.Errorf("handshake line not newline-terminated: %q", line)
	}
	m := handshakeRe.FindStringSubmatch(strings.TrimRight(line, "\r\n"))
	if m == nil {
		return fmt.Errorf("handshake line %q does not match CORE|APP|NET|ADDR|grpc[|CERT] with core 1, app 2", line)
	}
	network, addr, field6 := m[1], m[2], strings.TrimPrefix(m[3], "|")
	creds := insecure.NewCredentials()
	var serverCert *x509.Certificate
	if h.AutoMTLS {
		if serverCert, err = ParseServerCertificate(field6); err != nil {
			return err
		}
		if err := CheckServerCertificate(serverCert); err != nil {
			return err
		}
		creds = credentials.NewTLS(ClientTLS(clientCert, serverCert))
	} else if len(field6) > 50 {
		// go-plugin would load it into a nil TLS config: the host panics.
		return fmt.Errorf("a certificate in handshake field 6 although the host did not ask for AutoMTLS: %q", trunc(field6))
	}
	dial := func(creds credentials.TransportCredentials) (*grpc.ClientConn, error) {
		return grpc.NewClient("passthrough:///plugin",
			grpc.WithTransportCredentials(creds),
			grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			}))
	}
	healthCheck := func(conn *grpc.ClientConn, timeout time.Duration) (*grpc_health_v1.HealthCheckResponse, error) {
		hctx, hcancel := context.WithTimeout(ctx, timeout)
		defer hcancel()
		return grpc_health_v1.NewHealthClient(conn).Check(hctx, &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	}

	conn, err := dial(creds)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	hres, err := healthCheck(conn, 5*time.Second)
	if err != nil {
		return fmt.Errorf("first RPC right after the handshake (%s after spawn) failed: %w", handshakeTime.Round(time.Millisecond), err)
	}
	if hres.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		return fmt.Errorf("health status %s, want SERVING", hres.Status)
	}
	if h.AutoMTLS {
		stranger, err := NewClientCertificate()
		if err != nil {
			return err
		}
		for _, c := range []struct {
			what  string
			creds credentials.TransportCredentials
		}{
			{"a plaintext client", insecure.NewCredentials()},
			{"a TLS client without a certificate", credentials.NewTLS(ClientTLS(nil, serverCert))},
			{"a TLS client with a certificate other than PLUGIN_CLIENT_CERT", credentials.NewTLS(ClientTLS(stranger, serverCert))},
		} {
			other, err := dial(c.creds)
			if err != nil {
				return err
			}
			_, err = healthCheck(other, 3*time.Second)
			_ = other.Close()
			if err == nil {
				return fmt.Errorf("AutoMTLS: %s was served", c.what)
			}
		}
	}
	// Give late writers (a banner printed on the next tick) a chance to show up.
	time.Sleep(250 * time.Millisecond)
	sctx, scancel := context.WithTimeout(ctx, 2*time.Second)
	defer scancel()
	shutdownAt := time.Now()
	// go-plugin ignores Shutdown's error as well (a Go server stops before answering).
	_ = conn.Invoke(sctx, "/plugin.GRPCController/Shutdown", &emptypb.Empty{}, &emptypb.Empty{})
	select {
	case <-exited:
	case <-time.After(3 * time.Second):
		return errors.New("process still running 3 s after GRPCController.Shutdown")
	}
	took := time.Since(shutdownAt)
	if network == "unix" {
		_ = os.Remove(addr)
	}
	if len(rest) > 0 {
		return fmt.Errorf("stdout carried more than the handshake line: %q", trunc(string(rest)))
	}
	code := cmd.ProcessState.ExitCode()
	if code != 0 {
		return fmt.Errorf("exit status %d after Shutdown (wait: %v; stderr tail: %q)", code, waitErr, tail(stderr.String()))
	}
	if took > 2*time.Second {
		return fmt.Errorf("exited %s after Shutdown, want < 2 s", took.Round(time.Millisecond))
	}
	return nil
}

func scLaunch(ctx context.Context, h *Harness) error {
	if h.Session != nil {
		return nil
	}
	h.launchAttempted = true
	h.launchErr = launchInto(h)
	if h.launchErr != nil {
		return h.launchErr
	}
	if h.Session.Pid <= 0 {
		return errors.New("no pid from ReattachConfig")
	}
	if h.AutoMTLS {
		return checkMutualTLS(ctx, h.Session.Conn)
	}
	return nil
}

func scKill(_ context.Context, h *Harness) error {
	s := h.Session
	h.Session = nil
	return checkKill(s)
}

func checkKill(s *Session) error {
	r := s.Kill(4 * time.Second)
	switch {
	case r.Forced:
		return fmt.Errorf("go-plugin Kill hung for %s (no Shutdown answer, no exit); killed the process", r.Duration.Round(time.Millisecond))
	case !r.Exited:
		return errors.New("process not reported as exited after Kill")
	case r.Duration >= 2*time.Second:
		return fmt.Errorf("Kill took %s: the plugin did not exit within 2 s of Shutdown and was hard-killed (exit code %d)", r.Duration.Round(time.Millisecond), r.ExitCode)
	case r.ExitCode != 0:
		return fmt.Errorf("exit status %d after Shutdown, want 0", r.ExitCode)
	}
	return nil
}

func scRestart(ctx context.Context, h *Harness) error {
	s, err := Launch(h.PluginPath, h.Logger, h.LaunchTimeout, LaunchOptions{AutoMTLS: h.AutoMTLS})
	if err != nil {
		return fmt.Errorf("relaunch: %w", err)
	}
	h.Session = s
	if h.AutoMTLS {
		if err := checkMutualTLS(ctx, s.Conn); err != nil {
			h.Session = nil
			s.Kill(5 * time.Second)
			return fmt.Errorf("after restart: %w", err)
		}
	}
	if err := scCheckHealthOK(ctx, h); err != nil {
		return fmt.Errorf("after restart: %w", err)
	}
	if err := scRandomWalk(pluginv2.DataFrameFormat_ARROW)(ctx, h); err != nil {
		return fmt.Errorf("after restart: %w", err)
	}
	h.Session = nil
	return checkKill(s)
}

// ---------------------------------------------------------------- health

func scHealthPing(ctx context.Context, h *Harness) error {
	errCh := make(chan error, 1)
	go func() { errCh <- h.Session.RPC.Ping() }()
	select {
	case err := <-errCh:
		if err != nil {
			return fmt.Errorf("go-plugin Ping: %w", err)
		}
	case <-ctx.Done():
		return errors.New("go-plugin Ping did not return")
	}
	res, err := grpc_health_v1.NewHealthClient(h.Session.Conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil {
		return err
	}
	if res.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		return fmt.Errorf("grpc.health.v1 status for \"plugin\" is %s, want SERVING", res.Status)
	}
	return nil
}

func scCheckHealthOK(ctx context.Context, h *Harness) error {
	res, err := h.Session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{
		PluginContext: DefaultContext(),
		Headers:       map[string]string{"http_X-Grafana-Org-Id": "1"},
	})
	if err != nil {
		return err
	}
	if res.Status != pluginv2.CheckHealthResponse_OK {
		return fmt.Errorf("status %s (message %q), want OK", res.Status, res.Message)
	}
	if res.Message != "Data source is working" {
		return fmt.Errorf("message %q, want %q", res.Message, "Data source is working")
	}
	return nil
}

func scCheckHealthFail(ctx context.Context, h *Harness) error {
	res, err := h.Session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{
		PluginContext: PluginContext(DataSource(2, "interop-ds-fail", `{"fail":true}`)),
	})
	if err != nil {
		return err
	}
	if res.Status != pluginv2.CheckHealthResponse_ERROR {
		return fmt.Errorf("status %s (message %q), want ERROR", res.Status, res.Message)
	}
	if !strings.Contains(res.Message, "configured to fail") {
		return fmt.Errorf("message %q does not contain %q", res.Message, "configured to fail")
	}
	return nil
}

// ---------------------------------------------------------------- queries

func timeRange() (time.Time, time.Time) {
	to := time.Now().Truncate(time.Millisecond)
	return to.Add(-time.Hour), to
}

// query sends one request and returns the decoded frames of refID,
// checking the things every successful response must have.
func query(ctx context.Context, s *Session, req *pluginv2.QueryDataRequest, refID string) (data.Frames, *pluginv2.DataResponse, error) {
	resp, err := s.Data.QueryData(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("QueryData: %w", err)
	}
	if _, err := CheckGrafanaDecode(resp); err != nil {
		return nil, nil, fmt.Errorf("Grafana-side decode (backend.FromProto): %w", err)
	}
	res, ok := resp.Responses[refID]
	if !ok || res == nil {
		return nil, nil, fmt.Errorf("no response for refId %q (got %d responses)", refID, len(resp.Responses))
	}
	frames, err := DecodeFrames(res)
	if err != nil {
		return nil, res, err
	}
	return frames, res, nil
}

func expectOK(res *pluginv2.DataResponse, format pluginv2.DataFrameFormat) error {
	if res.Error != "" {
		return fmt.Errorf("error %q (status %d, source %q)", res.Error, res.Status, res.ErrorSource)
	}
	if res.Status != 200 {
		return fmt.Errorf("status %d, want 200", res.Status)
	}
	if res.Format != format {
		return fmt.Errorf("format %s, want the request's %s", res.Format, format)
	}
	return nil
}

func fieldByName(f *data.Frame, name string) *data.Field {
	for _, fld := range f.Fields {
		if fld.Name == name {
			return fld
		}
	}
	return nil
}

// checkTimeValue checks a random-walk frame: time (not nullable) and value
// (float64) fields, 1..maxRows rows, times strictly increasing in [from, to].
func checkTimeValue(f *data.Frame, maxRows int, from, to time.Time) error {
	tf, vf := fieldByName(f, "time"), fieldByName(f, "value")
	if tf == nil || vf == nil {
		return fmt.Errorf("frame needs fields time and value, has %v", fieldNames(f))
	}
	if tf.Type() != data.FieldTypeTime {
		return fmt.Errorf("time field type %s, want time.Time (not nullable)", tf.Type().ItemTypeString())
	}
	if vf.Type() != data.FieldTypeFloat64 {
		return fmt.Errorf("value field type %s, want float64", vf.Type().ItemTypeString())
	}
	n := tf.Len()
	if n < 1 || n > maxRows {
		return fmt.Errorf("%d rows, want 1..%d", n, maxRows)
	}
	var prev time.Time
	for i := 0; i < n; i++ {
		t := tf.At(i).(time.Time)
		if t.Before(from) || t.After(to) {
			return fmt.Errorf("row %d: time %s outside [%s, %s]", i, t.UTC().Format(time.RFC3339Nano), from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano))
		}
		if i > 0 && !t.After(prev) {
			return fmt.Errorf("row %d: time %s not after the previous %s", i, t.UTC().Format(time.RFC3339Nano), prev.UTC().Format(time.RFC3339Nano))
		}
		prev = t
	}
	return nil
}

func fieldNames(f *data.Frame) []string {
	var names []string
	for _, fld := range f.Fields {
		names = append(names, fld.Name)
	}
	return names
}

func scRandomWalk(format pluginv2.DataFrameFormat) func(context.Context, *Harness) error {
	return func(ctx context.Context, h *Harness) error {
		from, to := timeRange()
		model := map[string]interface{}{"seriesCount": 3, "seed": 42}
		req := QueryRequest(format, Query("A", "random_walk", model, 50, from, to))
		frames, res, err := query(ctx, h.Session, req, "A")
		if err != nil {
			return err
		}
		if err := expectOK(res, format); err != nil {
			return err
		}
		if len(frames) != 3 {
			return fmt.Errorf("%d frames, want seriesCount = 3", len(frames))
		}
		for i, f := range frames {
			if err := checkTimeValue(f, 50, from, to); err != nil {
				return fmt.Errorf("frame %d: %w", i, err)
			}
		}
		again, _, err := query(ctx, h.Session, req, "A")
		if err != nil {
			return fmt.Errorf("repeat: %w", err)
		}
		for i := range frames {
			if d := framecmp.Compare(frames[i], again[i]); len(d) > 0 {
				return fmt.Errorf("same seed and request gave different frame %d: %s", i, d[0])
			}
		}
		// The other encoding of the same request must carry the same frames.
		other := pluginv2.DataFrameFormat_JSON
		if format == pluginv2.DataFrameFormat_JSON {
			other = pluginv2.DataFrameFormat_ARROW
		}
		req.Format = other
		twin, res2, err := query(ctx, h.Session, req, "A")
		if err != nil {
			return fmt.Errorf("%s twin: %w", other, err)
		}
		if err := expectOK(res2, other); err != nil {
			return fmt.Errorf("%s twin: %w", other, err)
		}
		if len(twin) != len(frames) {
			return fmt.Errorf("%s twin has %d frames, %s has %d", other, len(twin), format, len(frames))
		}
		for i := range frames {
			if d := framecmp.Compare(frames[i], twin[i]); len(d) > 0 {
				return fmt.Errorf("frame %d differs between %s and %s: %s", i, format, other, d[0])
			}
		}
		return nil
	}
}

func scRandomWalkDefault(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "random_walk", map[string]interface{}{}, 0, from, to))
	frames, res, err := query(ctx, h.Session, req, "A")
	if err != nil {
		return err
	}
	if err := expectOK(res, req.Format); err != nil {
		return err
	}
	if len(frames) != 1 {
		return fmt.Errorf("%d frames, want 1 (seriesCount defaults to 1)", len(frames))
	}
	return checkTimeValue(frames[0], 100, from, to)
}

func scAllTypes(format pluginv2.DataFrameFormat) func(context.Context, *Harness) error {
	return func(ctx context.Context, h *Harness) error {
		from, to := timeRange()
		req := QueryRequest(format, Query("A", "all_types", map[string]interface{}{}, 100, from, to))
		frames, res, err := query(ctx, h.Session, req, "A")
		if err != nil {
			return err
		}
		if err := expectOK(res, format); err != nil {
			return err
		}
		if len(frames) != 1 {
			return fmt.Errorf("%d frames, want 1", len(frames))
		}
		if err := checkAllTypes(frames[0]); err != nil {
			return err
		}
		other := pluginv2.DataFrameFormat_JSON
		if format == pluginv2.DataFrameFormat_JSON {
			other = pluginv2.DataFrameFormat_ARROW
		}
		req.Format = other
		twin, _, err := query(ctx, h.Session, req, "A")
		if err != nil {
			return fmt.Errorf("%s twin: %w", other, err)
		}
		if len(twin) != 1 {
			return fmt.Errorf("%s twin: %d frames", other, len(twin))
		}
		if d := framecmp.Compare(frames[0], twin[0]); len(d) > 0 {
			return fmt.Errorf("all_types differs between %s and %s: %s", format, other, strings.Join(d, "; "))
		}
		return nil
	}
}

func checkAllTypes(f *data.Frame) error {
	if f.Name != "all_types" {
		return fmt.Errorf("frame name %q, want all_types", f.Name)
	}
	rows, err := f.RowLen()
	if err != nil {
		return err
	}
	if rows < 3 {
		return fmt.Errorf("%d rows, want >= 3", rows)
	}
	present := map[data.FieldType]bool{}
	nullSeen := map[data.FieldType]bool{}
	labels, config := false, false
	for _, fld := range f.Fields {
		present[fld.Type()] = true
		if fld.Type().Nullable() {
			for i := 0; i < fld.Len(); i++ {
				if _, ok := fld.ConcreteAt(i); !ok {
					nullSeen[fld.Type()] = true
				}
			}
		}
		labels = labels || len(fld.Labels) > 0
		config = config || fld.Config != nil
	}
	var missing []string
	for _, t := range vectors.AllFieldTypes() {
		if !present[t] {
			missing = append(missing, t.ItemTypeString())
		} else if t.Nullable() && !nullSeen[t] {
			missing = append(missing, "a null in "+t.ItemTypeString())
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing: %s", strings.Join(missing, ", "))
	}
	if !labels {
		return errors.New("no field carries labels")
	}
	if !config {
		return errors.New("no field carries config")
	}
	if f.Meta == nil || f.Meta.ExecutedQueryString == "" {
		return errors.New("frame meta lacks executedQueryString")
	}
	return nil
}

func scRows(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "rows", map[string]int{"rows": 1000}, 100, from, to))
	frames, res, err := query(ctx, h.Session, req, "A")
	if err != nil {
		return err
	}
	if err := expectOK(res, req.Format); err != nil {
		return err
	}
	_, err = rowsFrame(frames, 1000)
	return err
}

// rowsFrame checks that frames are the one frame of a rows query: time,
// value and label fields of the contract's types, each of n rows.
func rowsFrame(frames []*data.Frame, n int) (*data.Frame, error) {
	if len(frames) != 1 {
		return nil, fmt.Errorf("%d frames, want 1", len(frames))
	}
	f := frames[0]
	want := map[string]data.FieldType{"time": data.FieldTypeTime, "value": data.FieldTypeFloat64, "label": data.FieldTypeString}
	for name, ft := range want {
		fld := fieldByName(f, name)
		if fld == nil {
			return nil, fmt.Errorf("no %s field (fields: %v)", name, fieldNames(f))
		}
		if fld.Type() != ft {
			return nil, fmt.Errorf("%s field type %s, want %s", name, fld.Type().ItemTypeString(), ft.ItemTypeString())
		}
		if fld.Len() != n {
			return nil, fmt.Errorf("%s field has %d rows, want %d", name, fld.Len(), n)
		}
	}
	return f, nil
}

func scError(source string, code int, message string) func(context.Context, *Harness) error {
	return func(ctx context.Context, h *Harness) error {
		model := map[string]interface{}{"source": source}
		wantStatus := int32(500)
		if code != 0 {
			model["status"] = code
			wantStatus = int32(code)
		}
		if message != "" {
			model["message"] = message
		}
		from, to := timeRange()
		req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "error", model, 100, from, to))
		frames, res, err := query(ctx, h.Session, req, "A")
		if err != nil {
			return err
		}
		if res.Error == "" {
			return errors.New("error is empty")
		}
		if message != "" && !strings.Contains(res.Error, message) {
			return fmt.Errorf("error %q does not contain the message %q", res.Error, message)
		}
		if res.ErrorSource != source {
			return fmt.Errorf("errorSource %q, want %q", res.ErrorSource, source)
		}
		if res.Status != wantStatus {
			return fmt.Errorf("status %d, want %d", res.Status, wantStatus)
		}
		if len(frames) != 0 {
			return fmt.Errorf("%d frames, want none", len(frames))
		}
		return nil
	}
}

func scSlow(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "slow", map[string]int{"ms": 200}, 20, from, to))
	start := time.Now()
	frames, res, err := query(ctx, h.Session, req, "A")
	if err != nil {
		return err
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		return fmt.Errorf("answered after %s, before the requested 200 ms", took)
	}
	if err := expectOK(res, req.Format); err != nil {
		return err
	}
	if len(frames) < 1 {
		return errors.New("no frames")
	}
	return checkTimeValue(frames[0], 20, from, to)
}

func scSlowCancelled(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "slow", map[string]int{"ms": 60000}, 20, from, to))
	for _, deadline := range []bool{true, false} {
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		if !deadline {
			cctx, cancel = context.WithCancel(ctx)
			time.AfterFunc(300*time.Millisecond, cancel)
		}
		start := time.Now()
		_, err := h.Session.Data.QueryData(cctx, req)
		took := time.Since(start)
		cancel()
		code := status.Code(err)
		// A Go plugin returns ctx.Err() as UNKNOWN; under load that answer can beat the host's own timer.
		goPluginAnswer := code == codes.Unknown && (strings.Contains(err.Error(), context.DeadlineExceeded.Error()) ||
			strings.Contains(err.Error(), context.Canceled.Error()))
		if code != codes.DeadlineExceeded && code != codes.Canceled && !goPluginAnswer {
			return fmt.Errorf("deadline=%v: got %v (code %s), want DeadlineExceeded or Canceled", deadline, err, code)
		}
		if took > 1500*time.Millisecond {
			return fmt.Errorf("deadline=%v: call returned after %s, want promptly after 300 ms", deadline, took)
		}
	}
	// The plugin keeps serving.
	q := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "random_walk", map[string]int{"seed": 1}, 10, from, to))
	qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, res, err := query(qctx, h.Session, q, "A")
	if err != nil {
		return fmt.Errorf("after cancellation: %w", err)
	}
	return expectOK(res, q.Format)
}

func scUnknownType(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "no_such_type_xyz", map[string]int{}, 100, from, to))
	_, res, err := query(ctx, h.Session, req, "A")
	if err != nil {
		return err
	}
	if res.Status != 400 {
		return fmt.Errorf("status %d, want 400", res.Status)
	}
	if res.ErrorSource != "plugin" {
		return fmt.Errorf("errorSource %q, want plugin", res.ErrorSource)
	}
	if !strings.Contains(res.Error, "no_such_type_xyz") {
		return fmt.Errorf("error %q does not name the queryType", res.Error)
	}
	return nil
}

func scMulti(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := QueryRequest(pluginv2.DataFrameFormat_ARROW,
		Query("A", "random_walk", map[string]int{"seed": 7}, 10, from, to),
		Query("B", "rows", map[string]int{"rows": 7}, 10, from, to),
		Query("C", "error", map[string]interface{}{"source": "downstream", "status": 504}, 10, from, to),
		Query("D", "mystery", map[string]int{}, 10, from, to),
	)
	resp, err := h.Session.Data.QueryData(ctx, req)
	if err != nil {
		return err
	}
	if len(resp.Responses) != 4 {
		return fmt.Errorf("%d responses, want 4 (A-D)", len(resp.Responses))
	}
	want := map[string]int32{"A": 200, "B": 200, "C": 504, "D": 400}
	for ref, st := range want {
		r := resp.Responses[ref]
		if r == nil {
			return fmt.Errorf("no response for %s", ref)
		}
		if r.Status != st {
			return fmt.Errorf("%s: status %d, want %d (error %q)", ref, r.Status, st, r.Error)
		}
	}
	frames, err := DecodeFrames(resp.Responses["B"])
	if err != nil {
		return fmt.Errorf("B: %w", err)
	}
	if len(frames) != 1 || frames[0].Rows() != 7 {
		return errors.New("B: want one frame of 7 rows")
	}
	return nil
}

func scConcurrent(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req := QueryRequest(pluginv2.DataFrameFormat_ARROW,
				Query("A", "random_walk", map[string]int{"seed": i, "seriesCount": 2}, 200, from, to),
				Query("B", "slow", map[string]int{"ms": 100}, 10, from, to))
			frames, res, err := query(ctx, h.Session, req, "A")
			if err == nil {
				err = expectOK(res, req.Format)
			}
			if err == nil && len(frames) != 2 {
				err = fmt.Errorf("%d frames, want 2", len(frames))
			}
			if err != nil {
				errs <- fmt.Errorf("call %d: %w", i, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	return <-errs // nil when the channel is empty
}

// ---------------------------------------------------------------- resources

func callResource(ctx context.Context, s *Session, req *pluginv2.CallResourceRequest) ([]*pluginv2.CallResourceResponse, error) {
	return CallResource(ctx, s.Resource, req)
}

// CallResource makes one CallResource call and reads every message of its
// answer; an answer of no message is an error.
func CallResource(ctx context.Context, client grpcplugin.ResourceClient, req *pluginv2.CallResourceRequest) ([]*pluginv2.CallResourceResponse, error) {
	stream, err := client.CallResource(ctx, req)
	if err != nil {
		return nil, err
	}
	var msgs []*pluginv2.CallResourceResponse
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return msgs, err
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return nil, errors.New("received empty resource response (no messages)")
	}
	return msgs, nil
}

func header(h map[string]*pluginv2.StringList, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && v != nil && len(v.Values) > 0 {
			return v.Values[0]
		}
	}
	return ""
}

func resourceRequest(method, path, rawQuery string, body []byte) *pluginv2.CallResourceRequest {
	u := "/api/datasources/uid/interop-ds/resources/" + path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	return &pluginv2.CallResourceRequest{
		PluginContext: DefaultContext(),
		Path:          path,
		Method:        method,
		Url:           u,
		Headers: map[string]*pluginv2.StringList{
			"Accept":     {Values: []string{"application/json"}},
			"X-Interop":  {Values: []string{"interop-value-1", "interop-value-2"}},
			"User-Agent": {Values: []string{"interop-host"}},
		},
		Body: body,
	}
}

func scEcho(method string) func(context.Context, *Harness) error {
	return func(ctx context.Context, h *Harness) error {
		var body []byte
		if method == "POST" {
			body = []byte(`{"hello":"world 🦥"}`)
		}
		req := resourceRequest(method, "echo", "a=1&b=two", body)
		msgs, err := callResource(ctx, h.Session, req)
		if err != nil {
			return err
		}
		if msgs[0].Code != 200 {
			return fmt.Errorf("status %d, want 200", msgs[0].Code)
		}
		if ct := header(msgs[0].Headers, "Content-Type"); !strings.HasPrefix(ct, "application/json") {
			return fmt.Errorf("content-type %q, want application/json", ct)
		}
		var all []byte
		for _, m := range msgs {
			all = append(all, m.Body...)
		}
		var echo struct {
			Method  string          `json:"method"`
			Path    string          `json:"path"`
			URL     string          `json:"url"`
			Headers json.RawMessage `json:"headers"`
			Body    string          `json:"body"`
		}
		if err := json.Unmarshal(all, &echo); err != nil {
			return fmt.Errorf("body is not the echo JSON: %v (%q)", err, trunc(string(all)))
		}
		if echo.Method != method {
			return fmt.Errorf("echoed method %q, want %q", echo.Method, method)
		}
		if strings.TrimPrefix(echo.Path, "/") != "echo" {
			return fmt.Errorf("echoed path %q, want echo", echo.Path)
		}
		if echo.URL != req.Url {
			return fmt.Errorf("echoed url %q, want %q", echo.URL, req.Url)
		}
		if !strings.Contains(string(echo.Headers), "interop-value-1") {
			return fmt.Errorf("echoed headers %s lack X-Interop", trunc(string(echo.Headers)))
		}
		if echo.Body != string(body) {
			return fmt.Errorf("echoed body %q, want %q", echo.Body, string(body))
		}
		return nil
	}
}

var chunkRe = regexp.MustCompile(`^chunk (\d+)\n$`)

func scResourceStream(ctx context.Context, h *Harness) error {
	msgs, err := callResource(ctx, h.Session, resourceRequest("GET", "stream", "chunks=5", nil))
	if err != nil {
		return err
	}
	if len(msgs) != 5 {
		return fmt.Errorf("%d messages, want 5", len(msgs))
	}
	if msgs[0].Code != 200 {
		return fmt.Errorf("first message status %d, want 200", msgs[0].Code)
	}
	prev := -1
	for i, m := range msgs {
		sm := chunkRe.FindStringSubmatch(string(m.Body))
		if sm == nil {
			return fmt.Errorf("message %d body %q, want \"chunk <i>\\n\"", i, string(m.Body))
		}
		n, _ := strconv.Atoi(sm[1])
		if n <= prev {
			return fmt.Errorf("message %d is chunk %d after chunk %d", i, n, prev)
		}
		prev = n
	}
	return nil
}

func scResourceNotFound(ctx context.Context, h *Harness) error {
	msgs, err := callResource(ctx, h.Session, resourceRequest("GET", "no/such/path", "", nil))
	if err != nil {
		return err
	}
	if msgs[0].Code != 404 {
		return fmt.Errorf("status %d, want 404", msgs[0].Code)
	}
	return nil
}

// ---------------------------------------------------------------- streams

func scSubscribe(path string, want pluginv2.SubscribeStreamResponse_Status) func(context.Context, *Harness) error {
	return func(ctx context.Context, h *Harness) error {
		res, err := h.Session.Stream.SubscribeStream(ctx, &pluginv2.SubscribeStreamRequest{
			PluginContext: DefaultContext(),
			Path:          path,
		})
		if err != nil {
			return err
		}
		if res.Status != want {
			return fmt.Errorf("status %s, want %s", res.Status, want)
		}
		if len(res.Data) > 0 && !json.Valid(res.Data) {
			return fmt.Errorf("initial data is not JSON: %q", trunc(string(res.Data)))
		}
		return nil
	}
}

func scRunStream(ctx context.Context, h *Harness) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := h.Session.Stream.RunStream(sctx, &pluginv2.RunStreamRequest{
		PluginContext: DefaultContext(),
		Path:          "random/x",
	})
	if err != nil {
		return err
	}
	start := time.Now()
	for i := 0; i < 3; i++ {
		p, err := stream.Recv()
		if err != nil {
			return fmt.Errorf("packet %d: %w", i, err)
		}
		if !json.Valid(p.Data) {
			return fmt.Errorf("packet %d is not valid JSON: %q", i, trunc(string(p.Data)))
		}
		var f data.Frame
		if err := json.Unmarshal(p.Data, &f); err != nil {
			return fmt.Errorf("packet %d is not frame JSON: %w", i, err)
		}
		tf, vf := fieldByName(&f, "time"), fieldByName(&f, "value")
		if tf == nil || vf == nil {
			return fmt.Errorf("packet %d: fields %v, want time and value", i, fieldNames(&f))
		}
		if !tf.Type().Time() || !vf.Type().Numeric() {
			return fmt.Errorf("packet %d: time is %s, value is %s", i, tf.Type().ItemTypeString(), vf.Type().ItemTypeString())
		}
		if r, _ := f.RowLen(); r != 1 {
			return fmt.Errorf("packet %d: %d rows, want 1", i, r)
		}
	}
	if took := time.Since(start); took > 3*time.Second {
		return fmt.Errorf("3 packets took %s, want about 300 ms", took.Round(time.Millisecond))
	}
	cancel()
	if _, err := stream.Recv(); status.Code(err) != codes.Canceled {
		// A packet that was already in flight is fine; the next Recv must end.
		if _, err2 := stream.Recv(); status.Code(err2) != codes.Canceled {
			return fmt.Errorf("after cancel: %v, want Canceled", err2)
		}
	}
	// The plugin keeps serving after the stream was cancelled.
	return scCheckHealthOK(ctx, h)
}

func scPublish(ctx context.Context, h *Harness) error {
	res, err := h.Session.Stream.PublishStream(ctx, &pluginv2.PublishStreamRequest{
		PluginContext: DefaultContext(),
		Path:          "random/x",
		Data:          []byte(`{"value":1}`),
	})
	if err != nil {
		return err
	}
	if res.Status != pluginv2.PublishStreamResponse_PERMISSION_DENIED {
		return fmt.Errorf("status %s, want PERMISSION_DENIED", res.Status)
	}
	return nil
}

// ---------------------------------------------------------------- diagnostics

func scCollectMetrics(ctx context.Context, h *Harness) error {
	_, err := h.Session.Diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{PluginContext: DefaultContext()})
	if err != nil && status.Code(err) != codes.Unimplemented {
		return fmt.Errorf("CollectMetrics: %w (Grafana accepts a result or UNIMPLEMENTED)", err)
	}
	return nil
}

var levels = map[string]bool{"trace": true, "debug": true, "info": true, "warn": true, "error": true}

func scStderrLogs(_ context.Context, h *Harness) error {
	for i, line := range h.Session.Stderr.Lines() {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var raw map[string]interface{}
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			return fmt.Errorf("stderr line %d is not a JSON object: %q", i+1, trunc(line))
		}
		for _, k := range []string{"@level", "@message", "@timestamp"} {
			v, ok := raw[k]
			if !ok {
				return fmt.Errorf("stderr line %d lacks %s: %q", i+1, k, trunc(line))
			}
			if _, ok := v.(string); !ok {
				return fmt.Errorf("stderr line %d: %s is not a string: %q", i+1, k, trunc(line))
			}
		}
		if !levels[raw["@level"].(string)] {
			return fmt.Errorf("stderr line %d: unknown @level %q", i+1, raw["@level"])
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000000Z07:00", raw["@timestamp"].(string)); err != nil {
			return fmt.Errorf("stderr line %d: @timestamp %q does not parse with go-plugin's layout (6 fractional digits)", i+1, raw["@timestamp"])
		}
	}
	return nil
}

func trunc(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func tail(s string) string {
	if len(s) > 300 {
		return "…" + s[len(s)-300:]
	}
	return s
}
