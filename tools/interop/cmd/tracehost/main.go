// Command tracehost launches a plugin executable as Grafana does with tracing
// on: GF_INSTANCE_OTLP_* point it at an OTLP/gRPC receiver this command runs
// itself (internal/tracing, no collector), and every call carries a W3C
// traceparent in its gRPC metadata, injected by otelgrpc's client stats
// handler under a span of the host's own, as Grafana's plugin client does.
// It checks that the plugin's spans arrive with that parent, then prints a
// JSON report.
//
//	tracehost --plugin PATH [--timeout 20s] [--verbose]
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
	"github.com/gfsdk/gfsdk/tools/interop/internal/tracing"
)

// Check is one verified property.
type Check struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error"`
}

// Report is the command's output.
type Report struct {
	OK      bool   `json:"ok"`
	TraceID string `json:"traceId"`
	// FlushedAtShutdown: every span was received by the time the plugin
	// process had exited, sooner than the batch exporter's 5 s delay.
	FlushedAtShutdown bool           `json:"flushedAtShutdown"`
	Checks            []Check        `json:"checks"`
	Spans             []tracing.Span `json:"spans"`
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tracehost", flag.ContinueOnError)
	fs.SetOutput(stderr)
	plugin := fs.String("plugin", "", "path to the plugin executable")
	timeout := fs.Duration("timeout", 20*time.Second, "time limit for launching and each wait")
	verbose := fs.Bool("verbose", false, "stream go-plugin's log (the plugin's re-logged stderr) to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *plugin == "" {
		fmt.Fprintln(stderr, "tracehost: --plugin is required")
		return 2
	}
	path, err := filepath.Abs(*plugin)
	if err != nil {
		fmt.Fprintln(stderr, "tracehost:", err)
		return 2
	}
	report, err := trace2(path, *timeout, *verbose, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "tracehost:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(report)
	if !report.OK {
		return 1
	}
	return 0
}

func trace2(path string, timeout time.Duration, verbose bool, stderr io.Writer) (*Report, error) {
	receiver, err := tracing.Start()
	if err != nil {
		return nil, err
	}
	defer receiver.Stop()

	// Grafana's tracer: its own spans recorded here (not exported), W3C propagation.
	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))

	logBuf := &host.SyncBuffer{}
	var logOut io.Writer = logBuf
	if verbose {
		logOut = io.MultiWriter(logBuf, stderr)
	}
	// What Grafana sets with tracing on (pluginconfig/envvars.go): the
	// sampler param formatted %.6f.
	env := []string{
		"GF_INSTANCE_OTLP_ADDRESS=" + receiver.Address(),
		"GF_INSTANCE_OTLP_PROPAGATION=w3c",
		"GF_INSTANCE_OTLP_SAMPLER_TYPE=",
		"GF_INSTANCE_OTLP_SAMPLER_PARAM=1.000000",
		"GF_INSTANCE_OTLP_SAMPLER_REMOTE_URL=",
		"GF_PLUGIN_VERSION=9.8.7",
	}
	session, err := host.Launch(path, host.NewLogger(&host.SyncWriter{W: logOut}), timeout, host.LaunchOptions{Env: env})
	if err != nil {
		return nil, fmt.Errorf("launch: %w\n%s", err, logBuf.String())
	}

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ctx, root := tp.Tracer("grafana").Start(ctx, "grafana: panel query")
	traceID := root.SpanContext().TraceID().String()
	health, healthErr := session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: host.DefaultContext()})
	now := time.Now()
	_, queryErr := session.Data.QueryData(ctx, host.QueryRequest(pluginv2.DataFrameFormat_ARROW,
		host.Query("A", "random_walk", map[string]int{"seed": 1}, 10, now.Add(-time.Hour), now)))
	root.End()
	callsEnded := time.Now()

	// Grafana stops a plugin with GRPCController.Shutdown, then kills it after 2 s.
	session.Client.Kill()
	exited := time.Now()
	flushed := func(spans []tracing.Span) bool {
		return count(spans, "pluginv2.Diagnostics/CheckHealth") > 0 && count(spans, "pluginv2.Data/QueryData") > 0 &&
			count(spans, "sdk.checkHealth") > 0 && count(spans, "sdk.queryData") > 0
	}
	spans, _ := receiver.Spans()
	report := &Report{
		TraceID:           traceID,
		FlushedAtShutdown: flushed(spans) && exited.Sub(callsEnded) < 5*time.Second,
	}
	if !flushed(spans) {
		spans, _ = receiver.WaitFor(timeout, flushed)
	}
	report.Spans = spans

	clientSpans := map[string]string{}
	for _, s := range recorder.Ended() {
		if s.SpanKind() == trace.SpanKindClient {
			clientSpans[s.Name()] = s.SpanContext().SpanID().String()
		}
	}
	check := func(name string, err error) {
		c := Check{Name: name, OK: err == nil}
		if err != nil {
			c.Error = err.Error()
		}
		report.Checks = append(report.Checks, c)
	}
	check("calls succeed", errors.Join(healthErr, queryErr, func() error {
		if health.GetStatus() != pluginv2.CheckHealthResponse_OK {
			return fmt.Errorf("CheckHealth: %v %q", health.GetStatus(), health.GetMessage())
		}
		return nil
	}()))
	check("flushed at shutdown", func() error {
		if !report.FlushedAtShutdown {
			return fmt.Errorf("spans not all received when the plugin had exited (%v after the calls)", exited.Sub(callsEnded))
		}
		return nil
	}())
	for _, rpc := range []struct{ method, endpoint string }{
		{"pluginv2.Diagnostics/CheckHealth", "checkHealth"},
		{"pluginv2.Data/QueryData", "queryData"},
	} {
		check(rpc.method+": server span under Grafana's traceparent", func() error {
			server, err := one(spans, rpc.method)
			if err != nil {
				return err
			}
			parent := clientSpans[rpc.method]
			switch {
			case parent == "":
				return fmt.Errorf("the host made no otelgrpc client span for %s", rpc.method)
			case server.TraceID != traceID:
				return fmt.Errorf("trace id %s, want Grafana's %s", server.TraceID, traceID)
			case server.ParentSpanID != parent:
				return fmt.Errorf("parent span %s, want the host's client span %s", server.ParentSpanID, parent)
			case server.Kind != "SPAN_KIND_SERVER":
				return fmt.Errorf("kind %s, want SPAN_KIND_SERVER", server.Kind)
			case server.Resource["service.name"] != host.PluginID || server.Resource["service.version"] != "9.8.7":
				return fmt.Errorf("resource %v, want service.name %s and service.version 9.8.7", server.Resource, host.PluginID)
			}
			return nil
		}())
		check("sdk."+rpc.endpoint+": child of the server span, with the Go SDK's attributes", func() error {
			server, err := one(spans, rpc.method)
			if err != nil {
				return err
			}
			sdk, err := one(spans, "sdk."+rpc.endpoint)
			if err != nil {
				return err
			}
			if sdk.ParentSpanID != server.SpanID || sdk.TraceID != traceID {
				return fmt.Errorf("parent %s in trace %s, want %s in %s", sdk.ParentSpanID, sdk.TraceID, server.SpanID, traceID)
			}
			want := map[string]string{
				"plugin_id": host.PluginID, "org_id": "1", "datasource_uid": "interop-ds",
				"datasource_name": "TestData interop interop-ds", "user": "Admin", "request_status": "ok",
			}
			for k, v := range want {
				if sdk.Attributes[k] != v {
					return fmt.Errorf("attribute %s = %q, want %q (all: %v)", k, sdk.Attributes[k], v, sdk.Attributes)
				}
			}
			return nil
		}())
	}
	check("the calls' log lines carry the trace id", func() error {
		n := 0
		for _, line := range session.Stderr.Lines() {
			var record map[string]any
			if json.Unmarshal([]byte(line), &record) != nil || record["@message"] != "Plugin Request Completed" {
				continue
			}
			if record["traceId"] != traceID {
				return fmt.Errorf("line without Grafana's trace id: %s", line)
			}
			n++
		}
		if n < 2 {
			return fmt.Errorf("%d Plugin Request Completed lines with the trace id, want 2 (run with the plugin at debug level)", n)
		}
		return nil
	}())
	check("tracing off: the calls' log lines still carry Grafana's trace id", tracingOff(path, timeout, tp, logOut))
	report.OK = true
	for _, c := range report.Checks {
		report.OK = report.OK && c.OK
	}
	return report, nil
}

// tracingOff launches the plugin without GF_INSTANCE_OTLP_* and checks that
// a call under Grafana's traceparent still logs that trace id, as the Go
// SDK does with its no-op tracer and W3C propagator.
func tracingOff(path string, timeout time.Duration, tp trace.TracerProvider, logOut io.Writer) error {
	session, err := host.Launch(path, host.NewLogger(&host.SyncWriter{W: logOut}), timeout, host.LaunchOptions{})
	if err != nil {
		return fmt.Errorf("launch: %w", err)
	}
	defer session.Client.Kill()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	ctx, root := tp.Tracer("grafana").Start(ctx, "grafana: health check")
	defer root.End()
	if _, err := session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: host.DefaultContext()}); err != nil {
		return fmt.Errorf("CheckHealth: %w", err)
	}
	want := root.SpanContext().TraceID().String()
	// Stopped first: every line the plugin wrote has been read from its stderr then.
	session.Client.Kill()
	for _, line := range session.Stderr.Lines() {
		var record map[string]any
		if json.Unmarshal([]byte(line), &record) == nil && record["@message"] == "Plugin Request Completed" {
			if record["traceId"] != want {
				return fmt.Errorf("traceId %v, want %s: %s", record["traceId"], want, line)
			}
			return nil
		}
	}
	return fmt.Errorf("no Plugin Request Completed line (run with the plugin at debug level)")
}

func count(spans []tracing.Span, name string) int {
	n := 0
	for _, s := range spans {
		if s.Name == name {
			n++
		}
	}
	return n
}

func one(spans []tracing.Span, name string) (tracing.Span, error) {
	var found []tracing.Span
	for _, s := range spans {
		if s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		names := make([]string, 0, len(spans))
		for _, s := range spans {
			names = append(names, s.Name)
		}
		return tracing.Span{}, fmt.Errorf("%d spans named %s, want 1 (received: %s)", len(found), name, strings.Join(names, ", "))
	}
	return found[0], nil
}
