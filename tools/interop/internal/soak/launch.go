package soak

import (
	"bytes"
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

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
	"github.com/gfsdk/gfsdk/tools/interop/internal/legacyplugin"
)

// session is a launched plugin with Grafana's client stubs, from host.Launch
// with stderr counted instead of kept: a soak makes millions of lines.
type session struct {
	client      *goplugin.Client
	conn        *grpc.ClientConn
	pid         int
	diagnostics grpcplugin.DiagnosticsClient
	resource    grpcplugin.ResourceClient
	data        grpcplugin.DataClient
	stream      grpcplugin.StreamClient
	admission   legacyplugin.AdmissionClient
	conversion  legacyplugin.ConversionClient
	log         *logStats
	cmd         *exec.Cmd
}

// launch starts the plugin with host.Launch (Grafana's go-plugin
// ClientConfig) and no host environment, as Grafana with
// pluginsSkipHostEnvVars; stderr is counted by logStats, not kept.
func launch(path string, logger hclog.Logger, timeout time.Duration, raw io.Writer, env []string) (*session, error) {
	log := &logStats{raw: raw}
	hs, err := host.Launch(path, logger, timeout, host.LaunchOptions{SkipHostEnv: true, Env: env, Stderr: log})
	if err != nil {
		return nil, err
	}
	if hs.Pid <= 0 {
		hs.Client.Kill()
		return nil, errors.New("no plugin pid in go-plugin's ReattachConfig")
	}
	return &session{
		client:      hs.Client,
		conn:        hs.Conn,
		pid:         hs.Pid,
		diagnostics: hs.Diagnostics,
		resource:    hs.Resource,
		data:        hs.Data,
		stream:      hs.Stream,
		admission:   hs.Admission,
		conversion:  hs.Conversion,
		log:         log,
		cmd:         hs.Cmd,
	}, nil
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
