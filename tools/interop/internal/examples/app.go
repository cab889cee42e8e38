package examples

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

// AppPluginID is the app example's plugin id.
const AppPluginID = "gfsdk-example-app"

// appContext is the plugin context Grafana sends an app plugin: org 1's app settings.
func appContext() *pluginv2.PluginContext {
	pc := host.PluginContext(nil)
	pc.PluginId = AppPluginID
	pc.AppInstanceSettings = &pluginv2.AppInstanceSettings{
		JsonData:                []byte(`{}`),
		DecryptedSecureJsonData: map[string]string{},
		LastUpdatedMS:           1767322245000,
	}
	return pc
}

type note struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	CreatedAt string `json:"createdAt"`
}

// dataOnlyRows is the row count of a frame JSON packet, with or without its schema.
func dataOnlyRows(packet []byte) (int, error) {
	var f struct {
		Data *struct {
			Values [][]json.RawMessage `json:"values"`
		} `json:"data"`
	}
	if err := json.Unmarshal(packet, &f); err != nil {
		return 0, fmt.Errorf("packet is not frame JSON: %v (%q)", err, trunc(packet))
	}
	if f.Data == nil || len(f.Data.Values) == 0 {
		return 0, fmt.Errorf("packet has no data values: %q", trunc(packet))
	}
	return len(f.Data.Values[0]), nil
}

// AppChecks are the checks of the app example, in order: they share the
// notes of one app instance.
func AppChecks() []Check {
	pc := appContext()
	return []Check{
		{"check-health-ok", func(ctx context.Context, s *host.Session) error {
			res, err := s.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: pc})
			if err != nil {
				return err
			}
			if res.Status != pluginv2.CheckHealthResponse_OK {
				return fmt.Errorf("status %s (%q), want OK", res.Status, res.Message)
			}
			return nil
		}},
		{"notes-create", func(ctx context.Context, s *host.Session) error {
			var n note
			if err := resourceJSON(ctx, s, pc, "POST", "notes", []byte(`{"title":"first","body":"hello 🦥"}`), 201, &n); err != nil {
				return err
			}
			if n.ID != "1" || n.Title != "first" || n.Body != "hello 🦥" || n.CreatedAt == "" {
				return fmt.Errorf("created %+v", n)
			}
			return nil
		}},
		{"notes-create-invalid", func(ctx context.Context, s *host.Session) error {
			for _, body := range []string{`{"title":5}`, `{}`, `not json`} {
				code, _, got, err := resource(ctx, s, pc, "POST", "notes", []byte(body))
				if err != nil {
					return err
				}
				if code != 400 {
					return fmt.Errorf("POST %s: status %d, want 400 (%q)", body, code, trunc(got))
				}
				if body != "not json" && !strings.Contains(string(got), "title") {
					return fmt.Errorf("POST %s: the error %q does not name the field title", body, trunc(got))
				}
			}
			return nil
		}},
		{"notes-list-and-get", func(ctx context.Context, s *host.Session) error {
			var list []note
			if err := resourceJSON(ctx, s, pc, "GET", "notes", nil, 200, &list); err != nil {
				return err
			}
			if len(list) != 1 || list[0].Title != "first" {
				return fmt.Errorf("list %+v, want the one note", list)
			}
			var n note
			if err := resourceJSON(ctx, s, pc, "GET", "notes/1", nil, 200, &n); err != nil {
				return err
			}
			if n != list[0] {
				return fmt.Errorf("GET notes/1 %+v, list has %+v", n, list[0])
			}
			return resourceJSON(ctx, s, pc, "GET", "notes/999", nil, 404, nil)
		}},
		{"notes-method-not-allowed", func(ctx context.Context, s *host.Session) error {
			code, headers, _, err := resource(ctx, s, pc, "PUT", "notes/1", []byte(`{}`))
			if err != nil {
				return err
			}
			allow := header(headers, "Allow")
			if code != 405 || !strings.Contains(allow, "GET") || !strings.Contains(allow, "DELETE") {
				return fmt.Errorf("PUT notes/1: status %d, Allow %q; want 405 allowing GET and DELETE", code, allow)
			}
			return nil
		}},
		{"resource-not-found", func(ctx context.Context, s *host.Session) error {
			return resourceJSON(ctx, s, pc, "GET", "no/such/path", nil, 404, nil)
		}},
		{"stream-subscribe", func(ctx context.Context, s *host.Session) error {
			res, err := s.Stream.SubscribeStream(ctx, &pluginv2.SubscribeStreamRequest{PluginContext: pc, Path: "notes"})
			if err != nil {
				return err
			}
			if res.Status != pluginv2.SubscribeStreamResponse_OK {
				return fmt.Errorf("status %s, want OK", res.Status)
			}
			var f data.Frame
			if err := json.Unmarshal(res.Data, &f); err != nil {
				return fmt.Errorf("initial data is not frame JSON: %v (%q)", err, trunc(res.Data))
			}
			if got := fieldTypes(&f); got != "id:string,title:string,createdAt:time.Time" || f.Rows() != 1 {
				return fmt.Errorf("initial data: fields %s, %d rows; want the one note", got, f.Rows())
			}
			other, err := s.Stream.SubscribeStream(ctx, &pluginv2.SubscribeStreamRequest{PluginContext: pc, Path: "nope"})
			if err != nil {
				return err
			}
			if other.Status != pluginv2.SubscribeStreamResponse_NOT_FOUND {
				return fmt.Errorf("subscribe nope: status %s, want NOT_FOUND", other.Status)
			}
			return nil
		}},
		{"stream-run", func(ctx context.Context, s *host.Session) error {
			sctx, cancel := context.WithCancel(ctx)
			defer cancel()
			stream, err := s.Stream.RunStream(sctx, &pluginv2.RunStreamRequest{PluginContext: pc, Path: "notes"})
			if err != nil {
				return err
			}
			// First the notes as they are, schema and data.
			first, err := stream.Recv()
			if err != nil {
				return fmt.Errorf("first packet: %w", err)
			}
			var f data.Frame
			if err := json.Unmarshal(first.Data, &f); err != nil {
				return fmt.Errorf("first packet is not a whole frame: %v (%q)", err, trunc(first.Data))
			}
			if f.Rows() != 1 || len(f.Fields) != 3 {
				return fmt.Errorf("first packet: %d rows, fields %s; want the one note", f.Rows(), fieldTypes(&f))
			}
			// A note created through the API reaches the stream.
			if err := resourceJSON(ctx, s, pc, "POST", "notes", []byte(`{"title":"second"}`), 201, nil); err != nil {
				return err
			}
			if err := recvUntil(stream.Recv, func(p []byte) (bool, error) {
				n, err := dataOnlyRows(p)
				return n == 2, err
			}); err != nil {
				return fmt.Errorf("after a create: %w", err)
			}
			if err := resourceJSON(ctx, s, pc, "DELETE", "notes/1", nil, 204, nil); err != nil {
				return err
			}
			if err := recvUntil(stream.Recv, func(p []byte) (bool, error) {
				n, err := dataOnlyRows(p)
				return n == 1, err
			}); err != nil {
				return fmt.Errorf("after a delete: %w", err)
			}
			cancel()
			for {
				if _, err := stream.Recv(); err != nil {
					if status.Code(err) != codes.Canceled {
						return fmt.Errorf("after cancel: %v, want Canceled", err)
					}
					break
				}
			}
			return resourceJSON(ctx, s, pc, "GET", "notes/1", nil, 404, nil)
		}},
	}
}
