// Package tracing is an OTLP/gRPC trace receiver for tests: the collector's
// TraceService from the OTLP protobuf definitions (go.opentelemetry.io/proto/otlp),
// served in-process, keeping every span it is sent. No collector needed.
package tracing

import (
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"sync"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/grpc"
)

// Span is one received span, flattened with its resource's attributes.
type Span struct {
	TraceID      string            `json:"traceId"`
	SpanID       string            `json:"spanId"`
	ParentSpanID string            `json:"parentSpanId"`
	Name         string            `json:"name"`
	Kind         string            `json:"kind"`
	Attributes   map[string]string `json:"attributes"`
	Resource     map[string]string `json:"resource"`
	StatusCode   string            `json:"statusCode"`
	StatusText   string            `json:"statusMessage"`
	Events       []string          `json:"events"`
}

// Receiver is a running OTLP/gRPC trace receiver.
type Receiver struct {
	collectortrace.UnimplementedTraceServiceServer
	server   *grpc.Server
	listener net.Listener

	mu      sync.Mutex
	spans   []Span
	exports int
	changed chan struct{}
}

// Start listens on a free loopback port and serves the OTLP TraceService.
func Start() (*Receiver, error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	r := &Receiver{server: grpc.NewServer(), listener: lis, changed: make(chan struct{})}
	collectortrace.RegisterTraceServiceServer(r.server, r)
	go func() { _ = r.server.Serve(lis) }()
	return r, nil
}

// Address is the receiver's host:port, as GF_INSTANCE_OTLP_ADDRESS holds it.
func (r *Receiver) Address() string { return r.listener.Addr().String() }

// Stop closes the receiver.
func (r *Receiver) Stop() { r.server.Stop() }

// Export implements the OTLP TraceService.
func (r *Receiver) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	var got []Span
	for _, rs := range req.GetResourceSpans() {
		resource := attributes(rs.GetResource().GetAttributes())
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				events := make([]string, 0, len(s.GetEvents()))
				for _, e := range s.GetEvents() {
					events = append(events, fmt.Sprintf("%s %v", e.GetName(), attributes(e.GetAttributes())))
				}
				got = append(got, Span{
					TraceID:      hex.EncodeToString(s.GetTraceId()),
					SpanID:       hex.EncodeToString(s.GetSpanId()),
					ParentSpanID: hex.EncodeToString(s.GetParentSpanId()),
					Name:         s.GetName(),
					Kind:         s.GetKind().String(),
					Attributes:   attributes(s.GetAttributes()),
					Resource:     resource,
					StatusCode:   s.GetStatus().GetCode().String(),
					StatusText:   s.GetStatus().GetMessage(),
					Events:       events,
				})
			}
		}
	}
	r.mu.Lock()
	r.spans = append(r.spans, got...)
	r.exports++
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

// Spans returns every span received so far, and the number of export calls.
func (r *Receiver) Spans() ([]Span, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Span(nil), r.spans...), r.exports
}

// WaitFor waits until done(spans) holds or timeout passes, and returns the spans then.
func (r *Receiver) WaitFor(timeout time.Duration, done func([]Span) bool) ([]Span, bool) {
	deadline := time.After(timeout)
	for {
		r.mu.Lock()
		spans := append([]Span(nil), r.spans...)
		changed := r.changed
		r.mu.Unlock()
		if done(spans) {
			return spans, true
		}
		select {
		case <-changed:
		case <-deadline:
			return spans, false
		}
	}
}

func attributes(kvs []*commonpb.KeyValue) map[string]string {
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		out[kv.GetKey()] = value(kv.GetValue())
	}
	return out
}

func value(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return fmt.Sprint(x.IntValue)
	case *commonpb.AnyValue_DoubleValue:
		return fmt.Sprint(x.DoubleValue)
	case *commonpb.AnyValue_BoolValue:
		return fmt.Sprint(x.BoolValue)
	default:
		return fmt.Sprint(v)
	}
}
