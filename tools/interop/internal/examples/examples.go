// Package examples drives the built executables of the sqlite-datasource and
// app examples through a host launched like Grafana's (internal/host): each
// check is one call a Grafana user's action would make.
package examples

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

// Check is one named call against a launched example.
type Check struct {
	Name string
	Run  func(ctx context.Context, s *host.Session) error
}

// Result is one check's outcome.
type Result struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
	Ms    int64  `json:"ms"`
}

// Report is what Run found.
type Report struct {
	Example string   `json:"example"`
	OK      bool     `json:"ok"`
	Checks  []Result `json:"checks"`
}

// Run launches the executable at path as Grafana does, runs every check in
// order (each within timeout) and stops the plugin as Grafana does. A failed
// launch is reported as the check "launch"; later checks still run on the
// session a failed check leaves.
func Run(example, path string, checks []Check, logger hclog.Logger, timeout time.Duration) Report {
	report := Report{Example: example, OK: true}
	add := func(name string, start time.Time, err error) {
		r := Result{Name: name, OK: err == nil, Ms: time.Since(start).Milliseconds()}
		if err != nil {
			r.Error = err.Error()
			report.OK = false
		}
		report.Checks = append(report.Checks, r)
	}
	start := time.Now()
	session, err := host.Launch(path, logger, timeout, host.LaunchOptions{})
	add("launch", start, err)
	if err != nil {
		return report
	}
	for _, check := range checks {
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		err := check.Run(ctx, session)
		cancel()
		add(check.Name, start, err)
	}
	start = time.Now()
	add("stderr-logs", start, checkStderr(session.Stderr.Lines()))
	start = time.Now()
	k := session.Kill(10 * time.Second)
	var killErr error
	if k.Forced || !k.Exited {
		killErr = fmt.Errorf("the plugin did not exit when stopped like Grafana stops it (forced %v, exited %v)", k.Forced, k.Exited)
	}
	add("kill", start, killErr)
	return report
}

// checkStderr wants every stderr line of the plugin to be an hclog JSON
// record (what Grafana parses), and none of them a Node.js warning (an
// experimental module such as node:sqlite would print one).
func checkStderr(lines []string) error {
	if len(lines) == 0 {
		return errors.New("the plugin wrote no log line on stderr")
	}
	for _, line := range lines {
		var record map[string]interface{}
		if err := json.Unmarshal([]byte(line), &record); err != nil {
			return fmt.Errorf("stderr line is not hclog JSON: %q", line)
		}
		if strings.Contains(line, "Warning") {
			return fmt.Errorf("the plugin warned on stderr: %q", line)
		}
	}
	return nil
}

// Names lists the names of checks.
func Names(checks []Check) []string {
	names := make([]string, len(checks))
	for i, c := range checks {
		names[i] = c.Name
	}
	return names
}

// resource makes one CallResource call and returns the status, the first
// message's headers and the whole body.
func resource(ctx context.Context, s *host.Session, pc *pluginv2.PluginContext, method, path string, body []byte) (int, map[string]*pluginv2.StringList, []byte, error) {
	msgs, err := host.CallResource(ctx, s.Resource, &pluginv2.CallResourceRequest{
		PluginContext: pc,
		Path:          path,
		Method:        method,
		Url:           "/api/plugins/" + pc.PluginId + "/resources/" + path,
		Headers: map[string]*pluginv2.StringList{
			"Accept":       {Values: []string{"application/json"}},
			"Content-Type": {Values: []string{"application/json"}},
		},
		Body: body,
	})
	if err != nil {
		return 0, nil, nil, err
	}
	var all []byte
	for _, m := range msgs {
		all = append(all, m.Body...)
	}
	return int(msgs[0].Code), msgs[0].Headers, all, nil
}

// resourceJSON calls a resource, wants status want and decodes the JSON body into out (when not nil).
func resourceJSON(ctx context.Context, s *host.Session, pc *pluginv2.PluginContext, method, path string, body []byte, want int, out interface{}) error {
	code, headers, got, err := resource(ctx, s, pc, method, path, body)
	if err != nil {
		return err
	}
	if code != want {
		return fmt.Errorf("%s %s: status %d, want %d (body %q)", method, path, code, want, trunc(got))
	}
	if out == nil {
		return nil
	}
	if ct := header(headers, "Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("%s %s: content-type %q, want application/json", method, path, ct)
	}
	if err := json.Unmarshal(got, out); err != nil {
		return fmt.Errorf("%s %s: body is not the JSON expected: %v (%q)", method, path, err, trunc(got))
	}
	return nil
}

func header(h map[string]*pluginv2.StringList, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && v != nil && len(v.Values) > 0 {
			return strings.Join(v.Values, ", ")
		}
	}
	return ""
}

func trunc(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// recvUntil reads stream packets until ok accepts one or the stream ends.
func recvUntil(recv func() (*pluginv2.StreamPacket, error), ok func([]byte) (bool, error)) error {
	for {
		p, err := recv()
		if errors.Is(err, io.EOF) {
			return errors.New("the stream ended before the packet expected")
		}
		if err != nil {
			return err
		}
		done, err := ok(p.Data)
		if err != nil || done {
			return err
		}
	}
}
