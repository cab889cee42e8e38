package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/gfsdk/gfsdk/tools/interop/internal/vectors"
)

// Make sure Datasource implements every handler Grafana may call.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ backend.StreamHandler         = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one data source instance. It keeps no state: everything it
// answers is generated from the request.
type Datasource struct{}

// NewDatasource is the instance factory handed to datasource.Manage.
func NewDatasource(_ context.Context, _ backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return &Datasource{}, nil
}

// Dispose is called when the instance is replaced by a newer one.
func (d *Datasource) Dispose() {}

// QueryData answers every query of the request by its queryType.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		res, err := d.answer(ctx, q)
		if err != nil {
			return nil, err
		}
		resp.Responses[q.RefID] = res
	}
	return resp, nil
}

// answer answers one query by its queryType; an error is a cancelled call.
func (d *Datasource) answer(ctx context.Context, q backend.DataQuery) (backend.DataResponse, error) {
	if _, known := rules[q.QueryType]; known || q.QueryType == "all_types" {
		if err := checkModel(q.QueryType, q.JSON); err != nil {
			return badModel(err), nil
		}
	}
	switch q.QueryType {
	case "random_walk":
		return queryRandomWalk(q), nil
	case "all_types":
		return backend.DataResponse{Frames: data.Frames{vectors.AllTypes()}}, nil
	case "rows":
		return queryRows(q), nil
	case "error":
		return queryError(q), nil
	case "slow":
		var m struct {
			Ms int64 `json:"ms"`
		}
		if err := json.Unmarshal(q.JSON, &m); err != nil {
			return badModel(err), nil
		}
		timer := time.NewTimer(time.Duration(m.Ms) * time.Millisecond)
		select {
		case <-ctx.Done():
			timer.Stop()
			return backend.DataResponse{}, ctx.Err()
		case <-timer.C:
		}
		return queryRandomWalk(q), nil
	}
	return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin,
		fmt.Sprintf("unknown queryType %q", q.QueryType)), nil
}

func badModel(err error) backend.DataResponse {
	return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin, "invalid query model: "+err.Error())
}

type randomWalkModel struct {
	SeriesCount *int   `json:"seriesCount"`
	Seed        *int64 `json:"seed"`
}

// walkTimes returns n (possibly fewer) strictly increasing times in [from, to].
func walkTimes(tr backend.TimeRange, n int) []time.Time {
	from, to := tr.From.UnixNano(), tr.To.UnixNano()
	span := to - from
	if span < 0 {
		span = 0
	}
	if int64(n-1) > span {
		n = int(span) + 1
	}
	step := int64(0)
	if n > 1 {
		step = span / int64(n-1)
	}
	times := make([]time.Time, n)
	for i := range times {
		times[i] = time.Unix(0, from+int64(i)*step)
	}
	return times
}

func queryRandomWalk(q backend.DataQuery) backend.DataResponse {
	var m randomWalkModel
	if len(q.JSON) > 0 {
		if err := json.Unmarshal(q.JSON, &m); err != nil {
			return badModel(err)
		}
	}
	series := 1
	if m.SeriesCount != nil {
		series = *m.SeriesCount
	}
	var seed int64
	if m.Seed != nil {
		seed = *m.Seed
	}
	points := int(q.MaxDataPoints)
	if points <= 0 {
		points = 100
	}
	times := walkTimes(q.TimeRange, points)

	frames := make(data.Frames, 0, series)
	for s := 0; s < series; s++ {
		rng := rand.New(rand.NewSource(seed + int64(s))) // #nosec G404 -- generated test data
		values := make([]float64, len(times))
		walk := rng.Float64() * 100
		for i := range values {
			walk += rng.Float64() - 0.5
			values[i] = walk
		}
		var labels data.Labels
		if series > 1 {
			labels = data.Labels{"series": strconv.Itoa(s)}
		}
		frames = append(frames, data.NewFrame("",
			data.NewField("time", nil, times),
			data.NewField("value", labels, values),
		))
	}
	return backend.DataResponse{Frames: frames}
}

var rowLabels = []string{"alpha", "beta", "gamma", "delta"}

func queryRows(q backend.DataQuery) backend.DataResponse {
	var m struct {
		Rows int `json:"rows"`
	}
	if err := json.Unmarshal(q.JSON, &m); err != nil {
		return badModel(err)
	}
	return backend.DataResponse{Frames: data.Frames{rowsSlice(q, 0, m.Rows)}}
}

func queryError(q backend.DataQuery) backend.DataResponse {
	var m struct {
		Source  string `json:"source"`
		Status  int    `json:"status"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(q.JSON, &m); err != nil {
		return badModel(err)
	}
	if m.Status == 0 {
		m.Status = http.StatusInternalServerError
	}
	if m.Message == "" {
		m.Message = "error requested with source " + m.Source
	}
	return backend.ErrDataResponseWithSource(backend.Status(m.Status), backend.ErrorSource(m.Source), m.Message)
}

// CheckHealth fails when the data source's jsonData says {"fail": true}.
func (d *Datasource) CheckHealth(_ context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if s := req.PluginContext.DataSourceInstanceSettings; s != nil && len(s.JSONData) > 0 {
		var cfg struct {
			Fail bool `json:"fail"`
		}
		if err := json.Unmarshal(s.JSONData, &cfg); err != nil {
			return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: "invalid jsonData: " + err.Error()}, nil
		}
		if cfg.Fail {
			return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: "data source is configured to fail", ErrorSource: backend.ErrorSourcePlugin}, nil
		}
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "Data source is working"}, nil
}

// CallResource serves echo and stream; everything else is 404.
func (d *Datasource) CallResource(_ context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	path, rawQuery, _ := strings.Cut(strings.TrimPrefix(req.Path, "/"), "?")
	if u, err := url.Parse(req.URL); err == nil && u.RawQuery != "" {
		rawQuery = u.RawQuery
	}
	switch {
	case path == "echo" && (req.Method == http.MethodGet || req.Method == http.MethodPost):
		body, err := json.Marshal(map[string]interface{}{
			"method":  req.Method,
			"path":    req.Path,
			"url":     req.URL,
			"headers": req.Headers,
			"body":    string(req.Body),
		})
		if err != nil {
			return err
		}
		return sender.Send(&backend.CallResourceResponse{
			Status:  http.StatusOK,
			Headers: map[string][]string{"Content-Type": {"application/json"}},
			Body:    body,
		})
	case path == "stream" && req.Method == http.MethodGet:
		q, _ := url.ParseQuery(rawQuery)
		n, err := strconv.Atoi(q.Get("chunks"))
		if err != nil || n < 1 {
			n = 1
		}
		for i := 0; i < n; i++ {
			msg := &backend.CallResourceResponse{Body: []byte(fmt.Sprintf("chunk %d\n", i))}
			if i == 0 {
				msg.Status = http.StatusOK
				msg.Headers = map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}}
			}
			if err := sender.Send(msg); err != nil {
				return err
			}
		}
		return nil
	}
	return sender.Send(&backend.CallResourceResponse{
		Status:      http.StatusNotFound,
		ErrorSource: backend.ErrorSourceFromHTTPStatus(http.StatusNotFound),
		Headers:     map[string][]string{"Content-Type": {"application/json"}},
		Body:        []byte(`{"message":"not found"}`),
	})
}

// SubscribeStream allows channels under random/.
func (d *Datasource) SubscribeStream(_ context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	if strings.HasPrefix(req.Path, "random/") {
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
}

// PublishStream refuses every publication.
func (d *Datasource) PublishStream(_ context.Context, _ *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream sends a one-row frame every 100 ms (or data.intervalMs) until cancelled.
func (d *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	interval := 100 * time.Millisecond
	if len(req.Data) > 0 {
		var m struct {
			IntervalMs int64 `json:"intervalMs"`
		}
		if err := json.Unmarshal(req.Data, &m); err == nil && m.IntervalMs > 0 {
			interval = time.Duration(m.IntervalMs) * time.Millisecond
		}
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano())) // #nosec G404 -- generated test data
	walk := rng.Float64() * 100
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case t := <-ticker.C:
			walk += rng.Float64() - 0.5
			frame := data.NewFrame("random",
				data.NewField("time", nil, []time.Time{t}),
				data.NewField("value", nil, []float64{walk}),
			)
			if err := sender.SendFrame(frame, data.IncludeAll); err != nil {
				return err
			}
		}
	}
}
