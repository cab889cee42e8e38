package host

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	"google.golang.org/grpc"
)

// The host side of the fault cases in RELIABILITY.md (Faults): what Grafana's plugin
// manager does when the plugin or the host itself goes away abruptly.

// HoldCall starts a call that stays in flight until the host goes away:
// "stream" is RunStream random/x (held once its first packet came), "query"
// a QueryData slow query of 10 minutes (held once a later call on the same
// connection was answered, so the plugin has read it).
func HoldCall(ctx context.Context, s *Session, call string) error {
	switch call {
	case "stream":
		stream, err := s.Stream.RunStream(ctx, &pluginv2.RunStreamRequest{PluginContext: DefaultContext(), Path: "random/x"})
		if err != nil {
			return fmt.Errorf("RunStream: %w", err)
		}
		if _, err := stream.Recv(); err != nil {
			return fmt.Errorf("RunStream first packet: %w", err)
		}
		return nil
	case "query":
		from, to := timeRange()
		req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "slow", map[string]int{"ms": 600_000}, 10, from, to))
		// SendMsg returns once the request is on the connection: the health
		// check after it is read by the plugin after it.
		stream, err := s.Conn.NewStream(ctx, &grpc.StreamDesc{}, "/pluginv2.Data/QueryData")
		if err != nil {
			return fmt.Errorf("QueryData: %w", err)
		}
		if err := stream.SendMsg(req); err != nil {
			return fmt.Errorf("QueryData send: %w", err)
		}
		if err := stream.CloseSend(); err != nil {
			return fmt.Errorf("QueryData close send: %w", err)
		}
		go func() { _ = stream.RecvMsg(&pluginv2.QueryDataResponse{}) }()
		return checkHealthOK(ctx, s)
	}
	return fmt.Errorf("unknown call %q: stream or query", call)
}

func checkHealthOK(ctx context.Context, s *Session) error {
	res, err := s.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: DefaultContext()})
	if err != nil {
		return fmt.Errorf("CheckHealth: %w", err)
	}
	if res.Status != pluginv2.CheckHealthResponse_OK {
		return fmt.Errorf("CheckHealth status %s (%q), want OK", res.Status, res.Message)
	}
	return nil
}

// RestartReport is what RestartAfterKill observed, in milliseconds where timed.
type RestartReport struct {
	FirstPid  int `json:"firstPid"`
	SecondPid int `json:"secondPid"`
	// ExitedMs is the time from SIGKILL to go-plugin's Client.Exited(), the
	// signal Grafana's plugin manager polls (every second) to restart it.
	ExitedMs int64 `json:"exitedMs"`
	// CallAfterKill is the error a call on the old client got.
	CallAfterKill string `json:"callAfterKill"`
	// OldSocketLeft: the killed plugin could not remove its unix socket.
	OldSocketLeft bool  `json:"oldSocketLeft"`
	RelaunchMs    int64 `json:"relaunchMs"`
	// QueryFrames is how many frames the restarted plugin's random_walk
	// answered with, decoded by the SDK.
	QueryFrames  int `json:"queryFrames"`
	StopExitCode int `json:"stopExitCode"`
}

// RestartAfterKill emulates Grafana's plugin manager when a plugin process
// dies: launch, check health, SIGKILL the process, wait until the go-plugin
// client reports Exited(), then start a new client with the same
// configuration (as Grafana's grpcPlugin.Start does) and check that the new
// process answers CheckHealth and QueryData; finally stop it as Grafana does.
func RestartAfterKill(ctx context.Context, path string, logger hclog.Logger, timeout time.Duration, opts LaunchOptions) (RestartReport, error) {
	var r RestartReport
	first, err := Launch(path, logger, timeout, opts)
	if err != nil {
		return r, fmt.Errorf("launch: %w", err)
	}
	defer first.Client.Kill()
	r.FirstPid = first.Pid
	if err := checkHealthOK(ctx, first); err != nil {
		return r, err
	}
	socket := ""
	if rc := first.Client.ReattachConfig(); rc != nil && rc.Addr != nil && rc.Addr.Network() == "unix" {
		socket = rc.Addr.String()
	}
	killed := time.Now()
	if err := syscall.Kill(first.Pid, syscall.SIGKILL); err != nil {
		return r, fmt.Errorf("SIGKILL: %w", err)
	}
	for !first.Client.Exited() {
		if time.Since(killed) > timeout {
			return r, fmt.Errorf("go-plugin did not report the killed plugin as exited within %s", timeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.ExitedMs = time.Since(killed).Milliseconds()
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	_, err = first.Diagnostics.CheckHealth(cctx, &pluginv2.CheckHealthRequest{PluginContext: DefaultContext()})
	cancel()
	if err == nil {
		return r, errors.New("a call on the killed plugin's client succeeded")
	}
	r.CallAfterKill = err.Error()
	if socket != "" {
		_, statErr := os.Stat(socket)
		r.OldSocketLeft = statErr == nil
	}

	second, err := Launch(path, logger, timeout, opts)
	if err != nil {
		return r, fmt.Errorf("relaunch: %w", err)
	}
	r.SecondPid = second.Pid
	r.RelaunchMs = second.Handshake.Milliseconds()
	if err := checkHealthOK(ctx, second); err != nil {
		second.Client.Kill()
		return r, fmt.Errorf("after restart: %w", err)
	}
	from, to := timeRange()
	frames, res, err := query(ctx, second, QueryRequest(pluginv2.DataFrameFormat_ARROW,
		Query("A", "random_walk", map[string]int{"seriesCount": 2, "seed": 1}, 20, from, to)), "A")
	if err == nil {
		err = expectOK(res, pluginv2.DataFrameFormat_ARROW)
	}
	if err != nil {
		second.Client.Kill()
		return r, fmt.Errorf("after restart: QueryData: %w", err)
	}
	r.QueryFrames = len(frames)
	stop := second.Kill(5 * time.Second)
	r.StopExitCode = stop.ExitCode
	return r, nil
}
