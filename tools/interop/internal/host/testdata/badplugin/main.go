// Command badplugin breaks the testdata contract on purpose, so the host's
// tests can show that each scenario really detects what it checks.
// (Under testdata/: not part of ./... builds.)
package main

import (
	"context"
	"os"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

type ds struct{}

func (ds) CheckHealth(context.Context, *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "something else"}, nil
}

func (ds) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		switch q.QueryType {
		case "random_walk":
			// times decreasing
			t := q.TimeRange.To
			resp.Responses[q.RefID] = backend.DataResponse{Frames: data.Frames{data.NewFrame("",
				data.NewField("time", nil, []time.Time{t, t.Add(-time.Second)}),
				data.NewField("value", nil, []float64{1, 2}),
			)}}
		case "rows":
			resp.Responses[q.RefID] = backend.DataResponse{Frames: data.Frames{data.NewFrame("",
				data.NewField("time", nil, []time.Time{q.TimeRange.From}),
				data.NewField("value", nil, []int64{1}),
				data.NewField("label", nil, []string{"x"}),
			)}}
		default:
			resp.Responses[q.RefID] = backend.DataResponse{}
		}
	}
	return resp, nil
}

func (ds) CallResource(_ context.Context, _ *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	for i := 0; i < 4; i++ {
		if err := sender.Send(&backend.CallResourceResponse{Status: 200, Body: []byte("chunk\n")}); err != nil {
			return err
		}
	}
	return nil
}

func (ds) SubscribeStream(context.Context, *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
}

func (ds) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusOK}, nil
}

func (ds) RunStream(ctx context.Context, _ *backend.RunStreamRequest, sender *backend.StreamSender) error {
	for {
		if err := sender.SendBytes([]byte("not json")); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func main() {
	_, _ = os.Stderr.WriteString("a plain-text log line\n")
	go func() {
		time.Sleep(100 * time.Millisecond)
		// straight to the real stdout, past go-plugin's redirection of os.Stdout
		_, _ = os.NewFile(1, "stdout").WriteString("a stray line on stdout\n")
	}()
	_ = datasource.Manage("gfsdk-testdata-datasource", func(context.Context, backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
		return ds{}, nil
	}, datasource.ManageOpts{})
	os.Exit(3)
}
