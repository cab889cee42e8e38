// Command faults drives a plugin executable through the faults of
// RELIABILITY.md (Faults) that need a host: the host SIGKILLed mid-call, and the
// plugin SIGKILLed and restarted by the host. It prints one JSON report.
//
//	faults host-killed --plugin PATH --call stream|query [--runs N] [--timeout 20s]
//	faults restart --plugin PATH [--timeout 20s]
//
// host-killed makes this process a child subreaper (PR_SET_CHILD_SUBREAPER),
// then runs `faults hold` as the host: it launches the plugin with go-plugin
// as Grafana does and holds a call in flight. This process SIGKILLs the host;
// the orphaned plugin becomes its child, so it can time the plugin's exit
// and read its exit status, which no other process could.
//
// Exit status 0 when every check passed, 1 otherwise, 2 on usage errors.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "faults: host-killed, restart or hold")
		return 2
	}
	fs := flag.NewFlagSet("faults "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	plugin := fs.String("plugin", "", "path to the plugin executable")
	call := fs.String("call", "stream", "host-killed: the call in flight, stream or query")
	runs := fs.Int("runs", 1, "host-killed: how many times")
	timeout := fs.Duration("timeout", 20*time.Second, "time limit of each launch and wait")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	path, err := filepath.Abs(*plugin)
	if *plugin == "" || err != nil {
		fmt.Fprintln(stderr, "faults: --plugin is required")
		return 2
	}
	if *call != "stream" && *call != "query" {
		fmt.Fprintf(stderr, "faults: --call %q: stream or query\n", *call)
		return 2
	}
	var report interface{}
	switch args[0] {
	case "hold":
		return hold(path, *call, *timeout, stdout, stderr)
	case "host-killed":
		report, err = hostKilled(path, *call, *runs, *timeout, stderr)
	case "restart":
		logs := &host.SyncBuffer{}
		report, err = host.RestartAfterKill(context.Background(), path, host.NewLogger(logs), *timeout, host.LaunchOptions{})
		if err != nil {
			fmt.Fprint(stderr, logs.String())
		}
	default:
		fmt.Fprintf(stderr, "faults: unknown command %q\n", args[0])
		return 2
	}
	out := map[string]interface{}{"ok": err == nil, "report": report, "error": ""}
	if err != nil {
		out["error"] = err.Error()
	}
	b, _ := json.Marshal(out)
	fmt.Fprintln(stdout, string(b))
	if err != nil {
		return 1
	}
	return 0
}

// held is what `faults hold` prints once its call is in flight.
type held struct {
	Pid    int    `json:"pid"`
	Socket string `json:"socket"`
}

// hold is the host: it launches the plugin, holds a call in flight, prints
// the plugin's pid and socket, and waits to be killed.
func hold(path, call string, timeout time.Duration, stdout, stderr io.Writer) int {
	s, err := host.Launch(path, host.NewLogger(stderr), timeout, host.LaunchOptions{})
	if err != nil {
		fmt.Fprintln(stderr, "faults hold:", err)
		return 1
	}
	// No deadline: the call must stay in flight until this process is killed.
	if err := host.HoldCall(context.Background(), s, call); err != nil {
		fmt.Fprintln(stderr, "faults hold:", err)
		s.Client.Kill()
		return 1
	}
	h := held{Pid: s.Pid}
	if rc := s.Client.ReattachConfig(); rc != nil && rc.Addr != nil && rc.Addr.Network() == "unix" {
		h.Socket = rc.Addr.String()
	}
	b, _ := json.Marshal(h)
	fmt.Fprintln(stdout, string(b))
	select {}
}

// HostKilledRun is one run of host-killed.
type HostKilledRun struct {
	// ExitMs is the time from the host's SIGKILL to the plugin's exit.
	ExitMs int64 `json:"exitMs"`
	// ExitCode is the plugin's exit status, -1 when a signal ended it.
	ExitCode int `json:"exitCode"`
	// Signal names the signal that ended it, if one did.
	Signal string `json:"signal,omitempty"`
	// SocketLeft: the plugin's unix socket still existed after it exited.
	SocketLeft bool `json:"socketLeft"`
}

// HostKilledReport is the report of host-killed.
type HostKilledReport struct {
	Call string          `json:"call"`
	Runs []HostKilledRun `json:"runs"`
}

const prSetChildSubreaper = 36

func hostKilled(path, call string, runs int, timeout time.Duration, stderr io.Writer) (HostKilledReport, error) {
	report := HostKilledReport{Call: call, Runs: []HostKilledRun{}}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return report, fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %w", errno)
	}
	self, err := os.Executable()
	if err != nil {
		return report, err
	}
	for i := 0; i < runs; i++ {
		r, err := hostKilledOnce(self, path, call, timeout, stderr)
		if err != nil {
			return report, fmt.Errorf("run %d: %w", i+1, err)
		}
		report.Runs = append(report.Runs, r)
	}
	for _, r := range report.Runs {
		if r.ExitCode != 0 || r.SocketLeft {
			return report, fmt.Errorf("the plugin exited with status %d (signal %q), socket left: %t; want status 0 and no socket", r.ExitCode, r.Signal, r.SocketLeft)
		}
	}
	return report, nil
}

func hostKilledOnce(self, path, call string, timeout time.Duration, stderr io.Writer) (HostKilledRun, error) {
	var r HostKilledRun
	logs := &host.SyncBuffer{}
	cmd := exec.Command(self, "hold", "--plugin", path, "--call", call, "--timeout", timeout.String()) // #nosec G204 -- ourselves
	cmd.Stderr = logs
	out, err := cmd.StdoutPipe()
	if err != nil {
		return r, err
	}
	if err := cmd.Start(); err != nil {
		return r, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	var h held
	if err == nil {
		err = json.Unmarshal([]byte(line), &h)
	}
	if err != nil || h.Pid == 0 {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		fmt.Fprint(stderr, logs.String())
		return r, fmt.Errorf("the host did not report a held call: %v", err)
	}
	killed := time.Now()
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	// The host is gone: the kernel made the plugin our child (we are its subreaper).
	type waited struct {
		status syscall.WaitStatus
		err    error
	}
	done := make(chan waited, 1)
	go func() {
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(h.Pid, &ws, 0, nil)
		done <- waited{ws, err}
	}()
	select {
	case w := <-done:
		if w.err != nil {
			return r, fmt.Errorf("wait for plugin %d: %w", h.Pid, w.err)
		}
		r.ExitMs = time.Since(killed).Milliseconds()
		r.ExitCode = w.status.ExitStatus()
		if w.status.Signaled() {
			r.Signal = w.status.Signal().String()
		}
	case <-time.After(timeout):
		_ = syscall.Kill(h.Pid, syscall.SIGKILL)
		return r, errors.New("the plugin did not exit after its host was killed")
	}
	if h.Socket != "" {
		_, statErr := os.Stat(h.Socket)
		r.SocketLeft = statErr == nil
	}
	return r, nil
}
