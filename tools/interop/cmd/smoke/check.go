package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

// refID is the one query's refId, as Grafana's first query in a panel.
const refID = "A"

// stopLimit bounds go-plugin's Kill (Shutdown, close, 2 s grace, SIGKILL).
const stopLimit = 5 * time.Second

type checkOptions struct {
	Path     string
	PluginID string
	// App selects AppInstanceSettings instead of DataSourceInstanceSettings.
	App         bool
	JSONData    string
	Query       bool
	QueryType   string
	QueryJSON   string
	Timeout     time.Duration
	SkipHostEnv bool
	Logger      hclog.Logger
}

// check launches the plugin, runs the calls and stops it. The decoded frames
// are returned beside the report for printing.
func check(o checkOptions) (Report, data.Frames) {
	rep := Report{Plugin: o.Path, PluginID: o.PluginID, Frames: []FrameReport{}}
	if st, err := os.Stat(o.Path); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		rep.Error = fmt.Sprintf("%s is not an executable file", o.Path)
		return rep, nil
	}
	s, err := host.Launch(o.Path, o.Logger, o.Timeout, host.LaunchOptions{SkipHostEnv: o.SkipHostEnv})
	if err != nil {
		rep.Error = "launch: " + err.Error()
		return rep, nil
	}
	rep.Handshake = &HandshakeReport{
		ProtocolVersion: s.Client.NegotiatedVersion(),
		Pid:             s.Pid,
		Ms:              s.Handshake.Milliseconds(),
	}
	rep.PluginEnv = envNames(s.Pid)

	frames, callErr := calls(o, s, &rep)

	// The plugin is stopped whatever the calls did, as Grafana stops it.
	k := s.Kill(stopLimit)
	rep.Stop = &StopReport{Ms: k.Duration.Milliseconds(), ExitCode: k.ExitCode}
	var stopErr error
	switch {
	case k.Forced || !k.Exited:
		stopErr = fmt.Errorf("the plugin did not exit within %s of go-plugin's Kill", stopLimit)
	case k.ExitCode != 0:
		stopErr = fmt.Errorf("the plugin exited with status %d after go-plugin's Kill, want 0", k.ExitCode)
	}
	if err := errors.Join(callErr, stopErr); err != nil {
		rep.Error = err.Error()
		return rep, frames
	}
	rep.OK = true
	return rep, frames
}

// calls runs CheckHealth and the optional query, filling rep.
func calls(o checkOptions, s *host.Session, rep *Report) (data.Frames, error) {
	pc := pluginContext(o)
	headers := map[string]string{"http_X-Grafana-Org-Id": "1", "http_User-Agent": "gfsdk-smoke"}

	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	health, err := s.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc, Headers: headers})
	cancel()
	if err != nil {
		return nil, fmt.Errorf("CheckHealth: %w", err)
	}
	rep.Health = &HealthReport{Status: health.Status.String(), Message: health.Message}
	if health.Status != pluginv2.CheckHealthResponse_OK {
		return nil, fmt.Errorf("CheckHealth: status %s (message %q), want OK", health.Status, health.Message)
	}
	if !o.Query {
		return nil, nil
	}

	model := o.QueryJSON
	if model == "" {
		model = "{}"
	}
	to := time.Now().Truncate(time.Millisecond)
	q := host.Query(refID, o.QueryType, json.RawMessage(model), 100, to.Add(-time.Hour), to)
	req := &pluginv2.QueryDataRequest{
		PluginContext: pc,
		Headers:       headers,
		Queries:       []*pluginv2.DataQuery{q},
		Format:        pluginv2.DataFrameFormat_ARROW,
	}
	ctx, cancel = context.WithTimeout(context.Background(), o.Timeout)
	resp, err := s.Data.QueryData(ctx, req)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("QueryData: %w", err)
	}
	// The conversion Grafana's ClientV2 runs on every response.
	if _, err := host.CheckGrafanaDecode(resp); err != nil {
		return nil, fmt.Errorf("QueryData: Grafana-side decode (backend.FromProto): %w", err)
	}
	res, ok := resp.Responses[refID]
	if !ok || res == nil {
		return nil, fmt.Errorf("QueryData: no response for refId %s (got %d responses)", refID, len(resp.Responses))
	}
	if res.Error != "" {
		return nil, fmt.Errorf("QueryData: refId %s: error %q (status %d, source %q)", refID, res.Error, res.Status, res.ErrorSource)
	}
	// Grafana reads status 0 as 200 (plugins built before the field existed).
	if res.Status != 0 && (res.Status < 200 || res.Status > 299) {
		return nil, fmt.Errorf("QueryData: refId %s: status %d", refID, res.Status)
	}
	frames, err := host.DecodeFrames(res)
	if err != nil {
		return nil, fmt.Errorf("QueryData: refId %s: %w", refID, err)
	}
	for i, f := range frames {
		n, err := f.RowLen()
		if err != nil {
			return frames, fmt.Errorf("QueryData: refId %s: frame %d: %w", refID, i, err)
		}
		fr := FrameReport{Name: f.Name, Rows: n, Fields: make([]FieldReport, 0, len(f.Fields))}
		for _, fld := range f.Fields {
			fr.Fields = append(fr.Fields, FieldReport{Name: fld.Name, Type: fld.Type().ItemTypeString()})
		}
		rep.Frames = append(rep.Frames, fr)
	}
	return frames, nil
}

// pluginContext is a Grafana-shaped context for one data source (or app)
// with the given id and jsonData.
func pluginContext(o checkOptions) *pluginv2.PluginContext {
	ds := host.DataSource(1, "smoke", o.JSONData)
	pc := host.PluginContext(ds)
	pc.PluginId = o.PluginID
	if o.App {
		pc.DataSourceInstanceSettings = nil
		pc.AppInstanceSettings = &pluginv2.AppInstanceSettings{
			JsonData:                ds.JsonData,
			DecryptedSecureJsonData: map[string]string{},
			LastUpdatedMS:           ds.LastUpdatedMS,
		}
	}
	return pc
}

// envNames returns the sorted names of pid's environment variables, or nil
// where /proc is not available.
func envNames(pid int) []string {
	if pid <= 0 {
		return nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
	if err != nil {
		return nil
	}
	names := []string{}
	for _, kv := range strings.Split(string(b), "\x00") {
		if name, _, ok := strings.Cut(kv, "="); ok && name != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
