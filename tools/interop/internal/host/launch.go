// Package host launches a Grafana backend plugin executable the way
// Grafana's plugin manager does (hashicorp/go-plugin client, gRPC, app
// protocol 2, the SDK's grpcplugin client stubs) and drives it.
package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gfsdk/gfsdk/tools/interop/internal/legacyplugin"
)

// Handshake is Grafana's go-plugin handshake, built from the SDK constants
// (grafana pkg/plugins/backendplugin/grpcplugin/client.go).
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// PluginSet returns Grafana's versioned plugin set: protocol version 2 with
// the SDK's gRPC client plugins. (Grafana also registers its internal
// "renderer" plugin, which is not part of the SDK and not relevant to
// data sources.)
func PluginSet() map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		grpcplugin.ProtocolVersion: {
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"stream":      &grpcplugin.StreamGRPCPlugin{},
			// Dropped from the SDK in v0.300.0; Grafana built on an older
			// SDK still registers them (see internal/legacyplugin).
			"admission":  &legacyplugin.AdmissionGRPCPlugin{},
			"conversion": &legacyplugin.ConversionGRPCPlugin{},
		},
	}
}

// GrafanaEnv is the part of the environment Grafana itself sets for every
// plugin (pluginconfig/envvars.go); go-plugin appends the host environment
// and its own variables (magic cookie, PLUGIN_MIN_PORT/MAX_PORT,
// PLUGIN_PROTOCOL_VERSIONS).
var GrafanaEnv = []string{"GF_VERSION=12.2.0", "GF_EDITION=oss"}

// Session is one launched plugin process and its client stubs.
type Session struct {
	Client      *goplugin.Client
	RPC         goplugin.ClientProtocol
	Conn        *grpc.ClientConn
	Diagnostics grpcplugin.DiagnosticsClient
	Resource    grpcplugin.ResourceClient
	Data        grpcplugin.DataClient
	Stream      grpcplugin.StreamClient
	Admission   legacyplugin.AdmissionClient
	Conversion  legacyplugin.ConversionClient

	Cmd *exec.Cmd
	Pid int
	// Handshake is the time from spawning the process to a ready gRPC
	// connection (handshake line read, connection dialled and READY).
	Handshake time.Duration
	// Stderr holds the raw stderr lines of the plugin (go-plugin copies
	// them to ClientConfig.Stderr before parsing them as hclog JSON).
	Stderr *LineCollector
}

// LineCollector is an io.Writer that keeps complete lines.
type LineCollector struct {
	mu      sync.Mutex
	partial bytes.Buffer
	lines   []string
}

func (l *LineCollector) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range p {
		if b == '\n' {
			l.lines = append(l.lines, l.partial.String())
			l.partial.Reset()
			continue
		}
		l.partial.WriteByte(b)
	}
	return len(p), nil
}

// Lines returns the complete lines written so far.
func (l *LineCollector) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// SyncWriter serialises writes to w.
type SyncWriter struct {
	mu sync.Mutex
	W  io.Writer
}

func (s *SyncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.W.Write(p)
}

// SyncBuffer is a bytes.Buffer safe for concurrent use.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns the contents written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// LaunchOptions are host settings beyond Grafana's own configuration.
type LaunchOptions struct {
	// AutoMTLS sets go-plugin's ClientConfig.AutoMTLS, which Grafana leaves
	// off: the host generates a certificate, passes it in PLUGIN_CLIENT_CERT,
	// reads the plugin's from handshake field 6 and dials with mutual TLS.
	AutoMTLS bool
	// SkipHostEnv sets go-plugin's ClientConfig.SkipHostEnv, as Grafana does
	// with its pluginsSkipHostEnvVars feature toggle: the plugin then gets
	// only Grafana's env and go-plugin's own variables, not the host's.
	SkipHostEnv bool
	// Env is added to Grafana's environment of the plugin process.
	Env []string
	// Stderr, when set, receives the plugin's raw stderr instead of
	// Session.Stderr (which then stays empty), for runs too long to keep
	// every line.
	Stderr io.Writer
}

// NewClientConfig returns the go-plugin client configuration Grafana uses
// for a backend plugin executable in process mode, plus opts.
func NewClientConfig(path string, logger hclog.Logger, stderr io.Writer, opts LaunchOptions) *goplugin.ClientConfig {
	cmd := exec.Command(path) // #nosec G204 -- the plugin under test
	cmd.Env = append(append([]string(nil), GrafanaEnv...), opts.Env...)
	return &goplugin.ClientConfig{
		Cmd:              cmd,
		HandshakeConfig:  Handshake,
		VersionedPlugins: PluginSet(),
		SkipHostEnv:      opts.SkipHostEnv,
		Logger:           logger,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithStatsHandler(otelgrpc.NewClientHandler()),
		},
		// Not set by Grafana (it discards raw stderr after logging it); set
		// here only to observe the raw log lines.
		Stderr:   stderr,
		AutoMTLS: opts.AutoMTLS,
	}
}

// NewLogger returns the hclog logger handed to go-plugin.
func NewLogger(w io.Writer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:   "plugin",
		Level:  hclog.Debug,
		Output: w,
	})
}

// Launch starts the plugin and dispenses every service like Grafana's
// grpcPlugin.Start / newClientV2. It waits up to timeout for the
// connection to become READY.
func Launch(path string, logger hclog.Logger, timeout time.Duration, opts LaunchOptions) (*Session, error) {
	s := &Session{Stderr: &LineCollector{}}
	var stderr io.Writer = s.Stderr
	if opts.Stderr != nil {
		stderr = opts.Stderr
	}
	cfg := NewClientConfig(path, logger, stderr, opts)
	s.Cmd = cfg.Cmd
	start := time.Now()
	s.Client = goplugin.NewClient(cfg)

	type result struct {
		rpc goplugin.ClientProtocol
		err error
	}
	done := make(chan result, 1)
	go func() {
		rpc, err := s.Client.Client()
		done <- result{rpc, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(timeout):
		s.Client.Kill()
		return nil, fmt.Errorf("no handshake within %s", timeout)
	}
	if res.err != nil {
		s.Client.Kill()
		return nil, fmt.Errorf("go-plugin client: %w", res.err)
	}
	s.RPC = res.rpc
	if v := s.Client.NegotiatedVersion(); v < 2 {
		s.Client.Kill()
		return nil, fmt.Errorf("plugin protocol version not supported: negotiated %d", v)
	}
	if p := s.Client.Protocol(); p != goplugin.ProtocolGRPC {
		s.Client.Kill()
		return nil, fmt.Errorf("plugin protocol %q, want grpc", p)
	}
	gc, ok := res.rpc.(*goplugin.GRPCClient)
	if !ok {
		s.Client.Kill()
		return nil, fmt.Errorf("unexpected client protocol %T", res.rpc)
	}
	s.Conn = gc.Conn

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := waitReady(ctx, s.Conn); err != nil {
		s.Client.Kill()
		return nil, fmt.Errorf("gRPC connection not ready: %w", err)
	}
	s.Handshake = time.Since(start)

	if rc := s.Client.ReattachConfig(); rc != nil {
		s.Pid = rc.Pid
	}
	if err := s.dispense(); err != nil {
		s.Client.Kill()
		return nil, err
	}
	return s, nil
}

func waitReady(ctx context.Context, conn *grpc.ClientConn) error {
	conn.Connect()
	for {
		st := conn.GetState()
		switch st {
		case connectivity.Ready:
			return nil
		case connectivity.Shutdown:
			return errors.New("connection shut down")
		case connectivity.TransientFailure:
			// Grafana's first call would fail now (calls do not wait for
			// ready); one call tells why (e.g. a TLS handshake failure).
			cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := grpc_health_v1.NewHealthClient(conn).Check(cctx, &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
			cancel()
			if err != nil {
				return fmt.Errorf("connection failed: %w", err)
			}
			return nil
		}
		if !conn.WaitForStateChange(ctx, st) {
			return fmt.Errorf("still %s: %w", st, ctx.Err())
		}
	}
}

func (s *Session) dispense() error {
	get := func(name string) (interface{}, error) {
		raw, err := s.RPC.Dispense(name)
		if err != nil {
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
		return raw, nil
	}
	var ok bool
	raw, err := get("diagnostics")
	if err != nil {
		return err
	}
	if s.Diagnostics, ok = raw.(grpcplugin.DiagnosticsClient); !ok {
		return fmt.Errorf("diagnostics: unexpected %T", raw)
	}
	if raw, err = get("resource"); err != nil {
		return err
	}
	if s.Resource, ok = raw.(grpcplugin.ResourceClient); !ok {
		return fmt.Errorf("resource: unexpected %T", raw)
	}
	if raw, err = get("data"); err != nil {
		return err
	}
	if s.Data, ok = raw.(grpcplugin.DataClient); !ok {
		return fmt.Errorf("data: unexpected %T", raw)
	}
	if raw, err = get("stream"); err != nil {
		return err
	}
	if s.Stream, ok = raw.(grpcplugin.StreamClient); !ok {
		return fmt.Errorf("stream: unexpected %T", raw)
	}
	if raw, err = get("admission"); err != nil {
		return err
	}
	if s.Admission, ok = raw.(legacyplugin.AdmissionClient); !ok {
		return fmt.Errorf("admission: unexpected %T", raw)
	}
	if raw, err = get("conversion"); err != nil {
		return err
	}
	if s.Conversion, ok = raw.(legacyplugin.ConversionClient); !ok {
		return fmt.Errorf("conversion: unexpected %T", raw)
	}
	return nil
}

// KillResult describes how the process ended after Kill.
type KillResult struct {
	Duration time.Duration
	Exited   bool
	ExitCode int  // -1 when killed by a signal or unknown
	Forced   bool // Kill did not return within the grace period + margin
}

// Kill stops the plugin like Grafana: go-plugin's Kill (GRPCController.Shutdown,
// close, wait 2 s, then SIGKILL). If Kill itself hangs beyond limit the
// process is killed directly.
func (s *Session) Kill(limit time.Duration) KillResult {
	start := time.Now()
	done := make(chan struct{})
	go func() {
		s.Client.Kill()
		close(done)
	}()
	r := KillResult{ExitCode: -1}
	select {
	case <-done:
	case <-time.After(limit):
		r.Forced = true
		if s.Cmd.Process != nil {
			_ = s.Cmd.Process.Kill()
		}
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	}
	r.Duration = time.Since(start)
	r.Exited = s.Client.Exited()
	// Exited() takes the client's lock, which is released only after the
	// process was waited for, so ProcessState is safe to read here.
	if r.Exited && s.Cmd.ProcessState != nil {
		r.ExitCode = s.Cmd.ProcessState.ExitCode()
	}
	return r
}

// RSSKB returns VmRSS and VmHWM of pid in KiB from /proc/<pid>/status.
func RSSKB(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		var v int64
		if strings.HasPrefix(line, "VmRSS:") {
			_, _ = fmt.Sscanf(strings.TrimPrefix(line, "VmRSS:"), "%d", &v)
			rss = v
		} else if strings.HasPrefix(line, "VmHWM:") {
			_, _ = fmt.Sscanf(strings.TrimPrefix(line, "VmHWM:"), "%d", &v)
			hwm = v
		}
	}
	return rss, hwm, nil
}
