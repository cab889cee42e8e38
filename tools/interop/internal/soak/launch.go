package soak

import (
	"bytes"
	"context"
	"encoding/json"
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
	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

// session is a launched plugin with Grafana's client stubs. It is
// host.Launch without keeping every stderr line: a soak makes millions.
type session struct {
	client      *goplugin.Client
	conn        *grpc.ClientConn
	pid         int
	diagnostics grpcplugin.DiagnosticsClient
	resource    grpcplugin.ResourceClient
	data        grpcplugin.DataClient
	stream      grpcplugin.StreamClient
	admission   grpcplugin.AdmissionClient
	conversion  grpcplugin.ConversionClient
	log         *logStats
	cmd         *exec.Cmd
}

// launch starts the plugin with host's go-plugin ClientConfig (Grafana's)
// and no host environment, as Grafana with pluginsSkipHostEnvVars.
func launch(path string, logger hclog.Logger, timeout time.Duration, raw io.Writer, env []string) (*session, error) {
	s := &session{log: &logStats{raw: raw}}
	cfg := host.NewClientConfig(path, logger, s.log, host.LaunchOptions{SkipHostEnv: true})
	cfg.Cmd.Env = append(cfg.Cmd.Env, env...)
	s.cmd = cfg.Cmd
	s.client = goplugin.NewClient(cfg)
	type result struct {
		rpc goplugin.ClientProtocol
		err error
	}
	done := make(chan result, 1)
	go func() {
		rpc, err := s.client.Client()
		done <- result{rpc, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(timeout):
		s.client.Kill()
		return nil, fmt.Errorf("no handshake within %s", timeout)
	}
	if res.err != nil {
		s.client.Kill()
		return nil, fmt.Errorf("go-plugin client: %w", res.err)
	}
	gc, ok := res.rpc.(*goplugin.GRPCClient)
	if !ok {
		s.client.Kill()
		return nil, fmt.Errorf("unexpected client protocol %T", res.rpc)
	}
	s.conn = gc.Conn
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	s.conn.Connect()
	for st := s.conn.GetState(); st != connectivity.Ready; st = s.conn.GetState() {
		if st == connectivity.Shutdown || !s.conn.WaitForStateChange(ctx, st) {
			s.client.Kill()
			return nil, fmt.Errorf("gRPC connection %s", st)
		}
	}
	if rc := s.client.ReattachConfig(); rc != nil {
		s.pid = rc.Pid
	}
	if s.pid <= 0 {
		s.client.Kill()
		return nil, errors.New("no plugin pid in go-plugin's ReattachConfig")
	}
	var err error
	dispense := func(name string, into func(interface{}) bool) {
		if err != nil {
			return
		}
		raw, e := res.rpc.Dispense(name)
		if e != nil {
			err = fmt.Errorf("dispense %s: %w", name, e)
		} else if !into(raw) {
			err = fmt.Errorf("dispense %s: unexpected %T", name, raw)
		}
	}
	dispense("diagnostics", func(r interface{}) (ok bool) { s.diagnostics, ok = r.(grpcplugin.DiagnosticsClient); return })
	dispense("resource", func(r interface{}) (ok bool) { s.resource, ok = r.(grpcplugin.ResourceClient); return })
	dispense("data", func(r interface{}) (ok bool) { s.data, ok = r.(grpcplugin.DataClient); return })
	dispense("stream", func(r interface{}) (ok bool) { s.stream, ok = r.(grpcplugin.StreamClient); return })
	dispense("admission", func(r interface{}) (ok bool) { s.admission, ok = r.(grpcplugin.AdmissionClient); return })
	dispense("conversion", func(r interface{}) (ok bool) { s.conversion, ok = r.(grpcplugin.ConversionClient); return })
	if err != nil {
		s.client.Kill()
		return nil, err
	}
	return s, nil
}

// stop ends the plugin like Grafana (go-plugin Kill: Shutdown, then SIGKILL
// after 2 s) and reports how long it took and the exit code (-1: signal).
func (s *session) stop() Stop {
	start := time.Now()
	s.client.Kill()
	st := Stop{Ms: time.Since(start).Milliseconds(), ExitCode: -1}
	// Exited() takes the client's lock, released once the process was
	// waited for, so ProcessState is safe to read after it.
	if s.client.Exited() && s.cmd.ProcessState != nil {
		st.ExitCode = s.cmd.ProcessState.ExitCode()
	}
	return st
}

// logStats counts the plugin's raw stderr lines by hclog level and keeps the
// first few at warn or error.
type logStats struct {
	mu      sync.Mutex
	partial bytes.Buffer
	raw     io.Writer
	Lines   int64          `json:"lines"`
	Levels  map[string]int `json:"levels"`
	First   []string       `json:"firstWarnOrError"`
}

func (l *logStats) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.partial.Write(p)
			break
		}
		l.partial.Write(p[:i])
		l.line(l.partial.Bytes())
		l.partial.Reset()
		p = p[i+1:]
	}
	return len(p), nil
}

func (l *logStats) line(b []byte) {
	if l.raw != nil {
		_, _ = l.raw.Write(append(b, '\n'))
	}
	l.Lines++
	if l.Levels == nil {
		l.Levels = map[string]int{}
	}
	var rec struct {
		Level string `json:"@level"`
	}
	level := "unparsed"
	if json.Unmarshal(b, &rec) == nil && rec.Level != "" {
		level = rec.Level
	}
	l.Levels[level]++
	if (level == "warn" || level == "error" || level == "unparsed") && len(l.First) < 5 {
		l.First = append(l.First, truncate(string(b), 400))
	}
}

func (l *logStats) snapshot() LogSummary {
	l.mu.Lock()
	defer l.mu.Unlock()
	levels := map[string]int{}
	for k, v := range l.Levels {
		levels[k] = v
	}
	return LogSummary{Lines: l.Lines, Levels: levels, FirstWarnOrError: append([]string{}, l.First...)}
}

// rssKB is VmRSS of pid in KiB.
func rssKB(pid int) int64 {
	rss, _, err := host.RSSKB(pid)
	if err != nil {
		return -1
	}
	return rss
}

// fdCounts counts pid's open file descriptors and the sockets among them.
func fdCounts(pid int) FDs {
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return FDs{Open: -1, Sockets: -1}
	}
	n := FDs{}
	for _, e := range entries {
		target, err := os.Readlink(dir + "/" + e.Name())
		if err != nil {
			continue // closed between ReadDir and Readlink
		}
		n.Open++
		if strings.HasPrefix(target, "socket:") {
			n.Sockets++
		}
	}
	return n
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
