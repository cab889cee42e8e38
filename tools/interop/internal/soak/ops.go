package soak

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
	"github.com/gfsdk/gfsdk/tools/interop/internal/legacyplugin"
)

// driver is what the operations share.
type driver struct {
	s           *session
	settings    *settings
	callTimeout time.Duration
	unexpected  atomic.Int64
	streamSeq   atomic.Int64

	instMu  sync.Mutex
	instMax float64
}

func (d *driver) sawInstances(v float64) {
	d.instMu.Lock()
	d.instMax = max(d.instMax, v)
	d.instMu.Unlock()
}

func (d *driver) instanceMax() float64 {
	d.instMu.Lock()
	defer d.instMu.Unlock()
	return d.instMax
}

// pluginOnlyContext is a plugin context without instance settings, as
// admission and conversion calls may come.
func (d *driver) pluginOnlyContext() *pluginv2.PluginContext { return host.PluginContext(nil) }

// settings are the data sources' current instance settings. An update
// bumps one data source's updated time and changes its jsonData, so the
// plugin must drop what it built for the old version while calls that
// carry either version are in flight.
type settings struct {
	mu sync.RWMutex
	ds []dsVersion
}

type dsVersion struct {
	index int
	gen   int64
	fail  bool
}

var settingsBase = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

func newSettings(n int) *settings {
	s := &settings{ds: make([]dsVersion, n)}
	for i := range s.ds {
		s.ds[i].index = i
	}
	return s
}

func (s *settings) update(r *rand.Rand) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &s.ds[r.IntN(len(s.ds))]
	v.gen++
	v.fail = r.IntN(4) == 0
}

func (s *settings) pick(r *rand.Rand) dsVersion {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ds[r.IntN(len(s.ds))]
}

func (v dsVersion) context() *pluginv2.PluginContext {
	jd := fmt.Sprintf(`{"gen":%d}`, v.gen)
	if v.fail {
		jd = fmt.Sprintf(`{"gen":%d,"fail":true}`, v.gen)
	}
	ds := host.DataSource(int64(v.index+1), fmt.Sprintf("soak-ds-%d", v.index), jd)
	ds.LastUpdatedMS = settingsBase + v.gen*1000
	return host.PluginContext(ds)
}

// operation is one kind of call in the mix.
type operation struct {
	name   string
	rpc    string
	weight int
	run    func(ctx context.Context, d *driver, r *rand.Rand) result
}

func operations() []operation {
	return []operation{
		{"query_random_walk", "QueryData", 18, opRandomWalk},
		{"query_rows", "QueryData", 8, opRows},
		{"query_error", "QueryData", 5, opError},
		{"query_unknown_type", "QueryData", 2, opUnknownType},
		{"query_slow", "QueryData", 4, opSlow},
		{"query_slow_cancelled", "QueryData", 6, opSlowCancelled},
		{"query_multi", "QueryData", 4, opMulti},
		{"query_chunked", "QueryChunkedData", 5, opChunked},
		{"query_chunked_cancelled", "QueryChunkedData", 2, opChunkedCancelled},
		{"resource_echo", "CallResource", 6, opEcho},
		{"resource_stream", "CallResource", 4, opResourceStream},
		{"resource_stream_cancelled", "CallResource", 1, opResourceStreamCancelled},
		{"resource_not_found", "CallResource", 2, opResourceNotFound},
		{"check_health", "CheckHealth", 6, opCheckHealth},
		{"collect_metrics", "CollectMetrics", 2, opCollectMetrics},
		{"subscribe_stream", "SubscribeStream", 3, opSubscribe},
		{"run_stream", "RunStream", 5, opRunStream},
		{"publish_stream", "PublishStream", 2, opPublish},
		{"validate_admission", "ValidateAdmission", 2, opValidate},
		{"mutate_admission", "MutateAdmission", 2, opMutate},
		{"convert_objects", "ConvertObjects", 2, opConvert},
	}
}

// ---------------------------------------------------------------- helpers

func timeRange() (time.Time, time.Time) {
	to := time.Now().Truncate(time.Millisecond)
	return to.Add(-time.Hour), to
}

func randomFormat(r *rand.Rand) pluginv2.DataFrameFormat {
	if r.IntN(4) == 0 {
		return pluginv2.DataFrameFormat_JSON
	}
	return pluginv2.DataFrameFormat_ARROW
}

func queryRequest(d *driver, r *rand.Rand, format pluginv2.DataFrameFormat, qs ...*pluginv2.DataQuery) *pluginv2.QueryDataRequest {
	req := host.QueryRequest(format, qs...)
	req.PluginContext = d.settings.pick(r).context()
	return req
}

// rpcErr describes an error the soak did not cause.
func rpcErr(err error) result {
	return bad("%s: %s", status.Code(err), err)
}

// isCancellation reports whether err is the answer to a cancel or deadline
// the soak set: the status codes, or a Go plugin's ctx.Err() as UNKNOWN.
func isCancellation(err error) bool {
	switch status.Code(err) {
	case codes.Canceled, codes.DeadlineExceeded:
		return true
	case codes.Unknown:
		m := err.Error()
		return strings.Contains(m, context.Canceled.Error()) || strings.Contains(m, context.DeadlineExceeded.Error())
	}
	return false
}

// cancelledBy classifies the error of a call whose context the soak
// cancelled on purpose (ours) below a safety deadline (safety).
func cancelledBy(err error, ours, safety context.Context) result {
	if isCancellation(err) && safety.Err() == nil && (ours.Err() != nil || ownDeadlinePassed(ours, safety)) {
		return result{outcome: cancelled}
	}
	return rpcErr(err)
}

// ownDeadlinePassed reports whether ours has a deadline of its own, before
// safety's, that has passed. The plugin's DEADLINE_EXCEEDED, sent when the
// propagated grpc-timeout expires, can arrive before the host's own timer
// marks the context done.
func ownDeadlinePassed(ours, safety context.Context) bool {
	dl, ok := ours.Deadline()
	sdl, _ := safety.Deadline()
	return ok && dl.Before(sdl) && !time.Now().Before(dl.Add(-5*time.Millisecond))
}

func checkResponse(res *pluginv2.DataResponse, wantStatus int32, format pluginv2.DataFrameFormat) (data.Frames, error) {
	if res == nil {
		return nil, errors.New("no response for the refId")
	}
	if res.Status != wantStatus {
		return nil, fmt.Errorf("status %d, want %d (error %q)", res.Status, wantStatus, res.Error)
	}
	if wantStatus != 200 {
		if res.Error == "" || len(res.Frames) != 0 {
			return nil, fmt.Errorf("status %d with error %q and %d frames, want an error and no frames", res.Status, res.Error, len(res.Frames))
		}
		return nil, nil
	}
	if res.Error != "" {
		return nil, fmt.Errorf("status 200 with error %q", res.Error)
	}
	if res.Format != format {
		return nil, fmt.Errorf("format %s, want %s", res.Format, format)
	}
	return host.DecodeFrames(res)
}

func hasTimeValue(f *data.Frame) error {
	names := map[string]bool{}
	for _, fl := range f.Fields {
		names[fl.Name] = true
	}
	if !names["time"] || !names["value"] {
		return fmt.Errorf("frame %q has no time and value fields", f.Name)
	}
	return nil
}

func (d *driver) query(ctx context.Context, req *pluginv2.QueryDataRequest) (*pluginv2.QueryDataResponse, error) {
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	resp, err := d.s.data.QueryData(cctx, req)
	if err != nil {
		return nil, err
	}
	if _, err := host.CheckGrafanaDecode(resp); err != nil {
		return nil, fmt.Errorf("backend.FromProto: %w", err)
	}
	return resp, nil
}

// ---------------------------------------------------------------- QueryData

func opRandomWalk(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	series, points := 1+r.IntN(3), int64(10+r.IntN(190))
	format := randomFormat(r)
	req := queryRequest(d, r, format, host.Query("A", "random_walk", map[string]int{"seriesCount": series, "seed": r.IntN(1000)}, points, from, to))
	resp, err := d.query(ctx, req)
	if err != nil {
		return rpcErr(err)
	}
	frames, err := checkResponse(resp.Responses["A"], 200, format)
	if err != nil {
		return fromErr(err)
	}
	if len(frames) != series {
		return bad("%d frames, want seriesCount %d", len(frames), series)
	}
	for _, f := range frames {
		if err := hasTimeValue(f); err != nil {
			return fromErr(err)
		}
		if n, _ := f.RowLen(); n < 1 || int64(n) > points {
			return bad("%d rows, want 1 to maxDataPoints %d", n, points)
		}
	}
	return ok()
}

func opRows(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	n := r.IntN(2000)
	format := randomFormat(r)
	req := queryRequest(d, r, format, host.Query("A", "rows", map[string]int{"rows": n}, 100, from, to))
	resp, err := d.query(ctx, req)
	if err != nil {
		return rpcErr(err)
	}
	frames, err := checkResponse(resp.Responses["A"], 200, format)
	if err != nil {
		return fromErr(err)
	}
	if len(frames) != 1 {
		return bad("%d frames, want 1", len(frames))
	}
	if got, _ := frames[0].RowLen(); got != n || len(frames[0].Fields) != 3 {
		return bad("%d rows and %d fields, want %d rows of time, value, label", got, len(frames[0].Fields), n)
	}
	return ok()
}

func opError(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	source := []string{"plugin", "downstream"}[r.IntN(2)]
	st := []int{400, 500, 502, 503, 504}[r.IntN(5)]
	msg := fmt.Sprintf("soak failure %d", r.IntN(1000))
	req := queryRequest(d, r, pluginv2.DataFrameFormat_ARROW,
		host.Query("A", "error", map[string]any{"source": source, "status": st, "message": msg}, 100, from, to))
	resp, err := d.query(ctx, req)
	if err != nil {
		return rpcErr(err)
	}
	res := resp.Responses["A"]
	if _, err := checkResponse(res, int32(st), req.Format); err != nil {
		return fromErr(err)
	}
	if res.ErrorSource != source || !strings.Contains(res.Error, msg) {
		return bad("errorSource %q error %q, want %q and the message %q", res.ErrorSource, res.Error, source, msg)
	}
	return ok()
}

func opUnknownType(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	qt := fmt.Sprintf("soak_unknown_%d", r.IntN(100))
	req := queryRequest(d, r, pluginv2.DataFrameFormat_ARROW, host.Query("A", qt, map[string]int{}, 100, from, to))
	resp, err := d.query(ctx, req)
	if err != nil {
		return rpcErr(err)
	}
	res := resp.Responses["A"]
	if _, err := checkResponse(res, 400, req.Format); err != nil {
		return fromErr(err)
	}
	if res.ErrorSource != "plugin" || !strings.Contains(res.Error, qt) {
		return bad("errorSource %q error %q, want plugin and an error naming %s", res.ErrorSource, res.Error, qt)
	}
	return ok()
}

func opSlow(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	format := randomFormat(r)
	req := queryRequest(d, r, format, host.Query("A", "slow", map[string]int{"ms": 10 + r.IntN(140)}, 20, from, to))
	resp, err := d.query(ctx, req)
	if err != nil {
		return rpcErr(err)
	}
	frames, err := checkResponse(resp.Responses["A"], 200, format)
	if err != nil {
		return fromErr(err)
	}
	if len(frames) != 1 {
		return bad("%d frames, want 1", len(frames))
	}
	return hasTimeValueResult(frames[0])
}

func hasTimeValueResult(f *data.Frame) result {
	if err := hasTimeValue(f); err != nil {
		return fromErr(err)
	}
	return ok()
}

// opSlowCancelled sends a 60 s slow query and cancels it mid-call, by a
// deadline or by cancel, after 20-300 ms.
func opSlowCancelled(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	req := queryRequest(d, r, pluginv2.DataFrameFormat_ARROW, host.Query("A", "slow", map[string]int{"ms": 60000}, 20, from, to))
	safety, cancelSafety := context.WithTimeout(ctx, d.callTimeout)
	defer cancelSafety()
	after := time.Duration(20+r.IntN(280)) * time.Millisecond
	var cctx context.Context
	var cancel context.CancelFunc
	if r.IntN(2) == 0 {
		cctx, cancel = context.WithTimeout(safety, after)
	} else {
		cctx, cancel = context.WithCancel(safety)
		time.AfterFunc(after, cancel)
	}
	defer cancel()
	_, err := d.s.data.QueryData(cctx, req)
	if err == nil {
		return bad("a 60 s slow query answered before its cancellation after %s", after)
	}
	return cancelledBy(err, cctx, safety)
}

func opMulti(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	rows := 1 + r.IntN(50)
	req := queryRequest(d, r, pluginv2.DataFrameFormat_ARROW,
		host.Query("A", "random_walk", map[string]int{"seed": r.IntN(100)}, 10, from, to),
		host.Query("B", "rows", map[string]int{"rows": rows}, 10, from, to),
		host.Query("C", "error", map[string]any{"source": "downstream", "status": 504}, 10, from, to),
		host.Query("D", "mystery", map[string]int{}, 10, from, to),
	)
	resp, err := d.query(ctx, req)
	if err != nil {
		return rpcErr(err)
	}
	if len(resp.Responses) != 4 {
		return bad("%d responses, want 4", len(resp.Responses))
	}
	for ref, st := range map[string]int32{"A": 200, "C": 504, "D": 400} {
		if _, err := checkResponse(resp.Responses[ref], st, req.Format); err != nil {
			return bad("%s: %v", ref, err)
		}
	}
	frames, err := checkResponse(resp.Responses["B"], 200, req.Format)
	if err != nil {
		return bad("B: %v", err)
	}
	if len(frames) != 1 || frames[0].Rows() != rows {
		return bad("B: want one frame of %d rows", rows)
	}
	return ok()
}

// ---------------------------------------------------------------- QueryChunkedData

// chunkRows counts the rows of one chunk: an Arrow file, or frame JSON
// whose data.values holds one array per field.
func chunkRows(b []byte, format pluginv2.DataFrameFormat) (int, error) {
	if format == pluginv2.DataFrameFormat_ARROW {
		f, err := data.UnmarshalArrowFrame(b)
		if err != nil {
			return 0, fmt.Errorf("data.UnmarshalArrowFrame: %w", err)
		}
		return f.Rows(), nil
	}
	var js struct {
		Data struct {
			Values []json.RawMessage `json:"values"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &js); err != nil {
		return 0, fmt.Errorf("chunk is not frame JSON: %w", err)
	}
	if len(js.Data.Values) == 0 {
		return 0, nil
	}
	var first []json.RawMessage
	if err := json.Unmarshal(js.Data.Values[0], &first); err != nil {
		return 0, fmt.Errorf("chunk values: %w", err)
	}
	return len(first), nil
}

func opChunked(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	n, per := r.IntN(3000), 100+r.IntN(900)
	format := randomFormat(r)
	req := &pluginv2.QueryChunkedDataRequest{
		PluginContext: d.settings.pick(r).context(),
		Format:        format,
		Queries: []*pluginv2.DataQuery{
			host.Query("A", "rows", map[string]int{"rows": n, "chunkRows": per}, 100, from, to),
			host.Query("B", "random_walk", map[string]int{"seriesCount": 2, "seed": 3}, 50, from, to),
			host.Query("C", "error", map[string]any{"source": "plugin", "status": 500}, 10, from, to),
		},
	}
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	stream, err := d.s.data.QueryChunkedData(cctx, req)
	if err != nil {
		return rpcErr(err)
	}
	rowsA, framesB := 0, map[string]bool{}
	idsA := map[string]bool{}
	var errC *pluginv2.QueryChunkedDataResponse
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if status.Code(err) == codes.Unimplemented {
			return result{outcome: unimplemented}
		}
		if err != nil {
			return rpcErr(err)
		}
		switch m.RefId {
		case "A", "B":
			if m.Error != "" || (m.Status != 0 && m.Status != 200) {
				return bad("%s: status %d error %q", m.RefId, m.Status, m.Error)
			}
			rows, err := chunkRows(m.Frame, format)
			if err != nil {
				return bad("%s: %v", m.RefId, err)
			}
			if m.RefId == "A" {
				if rows > per {
					return bad("A: a chunk of %d rows, chunkRows %d", rows, per)
				}
				rowsA += rows
				idsA[m.FrameId] = true
			} else {
				framesB[m.FrameId] = true
			}
		case "C":
			if errC != nil || m.Error == "" || m.Status != 500 || len(m.Frame) != 0 {
				return bad("C: status %d error %q frame %d bytes (second message: %v), want one error message", m.Status, m.Error, len(m.Frame), errC != nil)
			}
			errC = m
		default:
			return bad("a message for refId %q", m.RefId)
		}
	}
	if rowsA != n || len(idsA) != 1 {
		return bad("A: %d rows under %d frameIds, want %d rows under one", rowsA, len(idsA), n)
	}
	if len(framesB) != 2 || errC == nil {
		return bad("B: %d frameIds (want 2); C answered: %v", len(framesB), errC != nil)
	}
	return ok()
}

// opChunkedCancelled opens a large chunked query, reads a few chunks and
// cancels the stream.
func opChunkedCancelled(ctx context.Context, d *driver, r *rand.Rand) result {
	from, to := timeRange()
	req := &pluginv2.QueryChunkedDataRequest{
		PluginContext: d.settings.pick(r).context(),
		Format:        pluginv2.DataFrameFormat_ARROW,
		Queries:       []*pluginv2.DataQuery{host.Query("A", "rows", map[string]int{"rows": 200000, "chunkRows": 1000}, 100, from, to)},
	}
	safety, cancelSafety := context.WithTimeout(ctx, d.callTimeout)
	defer cancelSafety()
	cctx, cancel := context.WithCancel(safety)
	defer cancel()
	stream, err := d.s.data.QueryChunkedData(cctx, req)
	if err != nil {
		return rpcErr(err)
	}
	for i, n := 0, 1+r.IntN(3); i < n; i++ {
		if _, err := stream.Recv(); status.Code(err) == codes.Unimplemented {
			return result{outcome: unimplemented}
		} else if err != nil {
			return rpcErr(err)
		}
	}
	cancel()
	// It may have sent everything before the cancel arrived.
	return drainCancelled(func() error { _, err := stream.Recv(); return err }, cctx, safety, ok())
}

// ---------------------------------------------------------------- CallResource

func resourceRequest(d *driver, r *rand.Rand, method, path, rawQuery string, body []byte) *pluginv2.CallResourceRequest {
	v := d.settings.pick(r)
	u := fmt.Sprintf("/api/datasources/uid/soak-ds-%d/resources/%s", v.index, path)
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	return &pluginv2.CallResourceRequest{
		PluginContext: v.context(),
		Path:          path,
		Method:        method,
		Url:           u,
		Headers: map[string]*pluginv2.StringList{
			"Accept":     {Values: []string{"application/json"}},
			"User-Agent": {Values: []string{"soak"}},
		},
		Body: body,
	}
}

func (d *driver) callResource(ctx context.Context, req *pluginv2.CallResourceRequest) ([]*pluginv2.CallResourceResponse, error) {
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	return host.CallResource(cctx, d.s.resource, req)
}

func opEcho(ctx context.Context, d *driver, r *rand.Rand) result {
	method := "GET"
	var body []byte
	if r.IntN(2) == 0 {
		method = "POST"
		body = []byte(fmt.Sprintf(`{"n":%d,"s":"soak 🦥"}`, r.IntN(1e6)))
	}
	req := resourceRequest(d, r, method, "echo", fmt.Sprintf("a=%d", r.IntN(100)), body)
	msgs, err := d.callResource(ctx, req)
	if err != nil {
		return rpcErr(err)
	}
	if msgs[0].Code != 200 {
		return bad("status %d, want 200", msgs[0].Code)
	}
	var all []byte
	for _, m := range msgs {
		all = append(all, m.Body...)
	}
	var echo struct {
		Method string `json:"method"`
		URL    string `json:"url"`
		Body   string `json:"body"`
	}
	if err := json.Unmarshal(all, &echo); err != nil {
		return bad("body is not the echo JSON: %v", err)
	}
	if echo.Method != method || echo.URL != req.Url || echo.Body != string(body) {
		return bad("echo %+v, want method %s url %s body %q", echo, method, req.Url, body)
	}
	return ok()
}

var chunkRe = regexp.MustCompile(`^chunk (\d+)\n$`)

func opResourceStream(ctx context.Context, d *driver, r *rand.Rand) result {
	n := 1 + r.IntN(10)
	msgs, err := d.callResource(ctx, resourceRequest(d, r, "GET", "stream", "chunks="+strconv.Itoa(n), nil))
	if err != nil {
		return rpcErr(err)
	}
	if len(msgs) != n || msgs[0].Code != 200 {
		return bad("%d messages, first status %d, want %d messages and 200", len(msgs), msgs[0].Code, n)
	}
	for i, m := range msgs {
		if sm := chunkRe.FindStringSubmatch(string(m.Body)); sm == nil || sm[1] != strconv.Itoa(i) {
			return bad("message %d body %q, want \"chunk %d\\n\"", i, m.Body, i)
		}
	}
	return ok()
}

// opResourceStreamCancelled reads the first message of a 10,000-chunk
// resource stream and cancels it.
func opResourceStreamCancelled(ctx context.Context, d *driver, r *rand.Rand) result {
	safety, cancelSafety := context.WithTimeout(ctx, d.callTimeout)
	defer cancelSafety()
	cctx, cancel := context.WithCancel(safety)
	defer cancel()
	stream, err := d.s.resource.CallResource(cctx, resourceRequest(d, r, "GET", "stream", "chunks=10000", nil))
	if err != nil {
		return rpcErr(err)
	}
	m, err := stream.Recv()
	if err != nil {
		return rpcErr(err)
	}
	if m.Code != 200 {
		return bad("first message status %d, want 200", m.Code)
	}
	cancel()
	return drainCancelled(func() error { _, err := stream.Recv(); return err }, cctx, safety, ok())
}

func opResourceNotFound(ctx context.Context, d *driver, r *rand.Rand) result {
	msgs, err := d.callResource(ctx, resourceRequest(d, r, "GET", fmt.Sprintf("no/such/%d", r.IntN(10)), "", nil))
	if err != nil {
		return rpcErr(err)
	}
	if msgs[0].Code != 404 {
		return bad("status %d, want 404", msgs[0].Code)
	}
	return ok()
}

// ---------------------------------------------------------------- diagnostics

func opCheckHealth(ctx context.Context, d *driver, r *rand.Rand) result {
	v := d.settings.pick(r)
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	res, err := d.s.diagnostics.CheckHealth(cctx, &pluginv2.CheckHealthRequest{PluginContext: v.context()})
	if err != nil {
		return rpcErr(err)
	}
	want, msg := pluginv2.CheckHealthResponse_OK, "Data source is working"
	if v.fail {
		want, msg = pluginv2.CheckHealthResponse_ERROR, "configured to fail"
	}
	if res.Status != want || !strings.Contains(res.Message, msg) {
		return bad("%s %q, want %s with %q (settings gen %d fail %v)", res.Status, res.Message, want, msg, v.gen, v.fail)
	}
	return ok()
}

func opCollectMetrics(ctx context.Context, d *driver, _ *rand.Rand) result {
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	res, err := d.s.diagnostics.CollectMetrics(cctx, &pluginv2.CollectMetricsRequest{PluginContext: d.settings.ds0Context()})
	if status.Code(err) == codes.Unimplemented {
		return result{outcome: unimplemented}
	}
	if err != nil {
		return rpcErr(err)
	}
	m, err := parseMetrics(res.GetMetrics().GetPrometheus())
	if err != nil {
		return fromErr(err)
	}
	if m.hasInstances {
		d.sawInstances(m.instances)
	}
	return ok()
}

func (s *settings) ds0Context() *pluginv2.PluginContext {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ds[0].context()
}

// ---------------------------------------------------------------- streams

func opSubscribe(ctx context.Context, d *driver, r *rand.Rand) result {
	path, want := "random/soak", pluginv2.SubscribeStreamResponse_OK
	if r.IntN(3) == 0 {
		path, want = "other/soak", pluginv2.SubscribeStreamResponse_NOT_FOUND
	}
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	res, err := d.s.stream.SubscribeStream(cctx, &pluginv2.SubscribeStreamRequest{PluginContext: d.settings.pick(r).context(), Path: path})
	if err != nil {
		return rpcErr(err)
	}
	if res.Status != want {
		return bad("%s: %s, want %s", path, res.Status, want)
	}
	return ok()
}

// opRunStream opens a stream, reads 1-4 packets and cancels it, as Grafana
// does when the last subscriber leaves.
func opRunStream(ctx context.Context, d *driver, r *rand.Rand) result {
	safety, cancelSafety := context.WithTimeout(ctx, d.callTimeout)
	defer cancelSafety()
	cctx, cancel := context.WithCancel(safety)
	defer cancel()
	stream, err := d.s.stream.RunStream(cctx, &pluginv2.RunStreamRequest{
		PluginContext: d.settings.pick(r).context(),
		Path:          fmt.Sprintf("random/soak-%d", d.streamSeq.Add(1)),
		Data:          []byte(fmt.Sprintf(`{"intervalMs":%d}`, 10+r.IntN(40))),
	})
	if err != nil {
		return rpcErr(err)
	}
	for i, n := 0, 1+r.IntN(4); i < n; i++ {
		p, err := stream.Recv()
		if err != nil {
			return bad("packet %d: %v", i, err)
		}
		var f data.Frame
		if err := json.Unmarshal(p.Data, &f); err != nil {
			return bad("packet %d is not frame JSON: %v", i, err)
		}
		if err := hasTimeValue(&f); err != nil {
			return bad("packet %d: %v", i, err)
		}
		if rows, _ := f.RowLen(); rows != 1 {
			return bad("packet %d: %d rows, want 1", i, rows)
		}
	}
	cancel()
	return drainCancelled(func() error { _, err := stream.Recv(); return err }, cctx, safety,
		bad("the stream ended by itself instead of running until cancelled"))
}

// drainCancelled reads a stream whose context cctx was just cancelled until
// it ends: an end without error is atEOF, any other end is classified by
// cancelledBy.
func drainCancelled(recv func() error, cctx, safety context.Context, atEOF result) result {
	for {
		err := recv()
		if errors.Is(err, io.EOF) {
			return atEOF
		}
		if err != nil {
			return cancelledBy(err, cctx, safety)
		}
	}
}

func opPublish(ctx context.Context, d *driver, r *rand.Rand) result {
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	res, err := d.s.stream.PublishStream(cctx, &pluginv2.PublishStreamRequest{
		PluginContext: d.settings.pick(r).context(), Path: "random/soak", Data: []byte(`{"value":1}`),
	})
	if err != nil {
		return rpcErr(err)
	}
	if res.Status != pluginv2.PublishStreamResponse_PERMISSION_DENIED {
		return bad("%s, want PERMISSION_DENIED", res.Status)
	}
	return ok()
}

// ---------------------------------------------------------------- admission and conversion

func admissionObject(r *rand.Rand, valid bool) ([]byte, map[string]any) {
	obj := map[string]any{
		"apiVersion": "soak.gfsdk.dev/v1",
		"kind":       "Thing",
		"metadata":   map[string]any{"name": fmt.Sprintf("thing-%d", r.IntN(1000)), "annotations": map[string]any{"a": "b"}},
		"spec":       map[string]any{"valid": valid, "n": float64(r.IntN(100))},
	}
	b, _ := json.Marshal(obj)
	return b, obj
}

func admissionRequest(d *driver, b []byte) *legacyplugin.AdmissionRequest {
	return &legacyplugin.AdmissionRequest{
		PluginContext: d.pluginOnlyContext(),
		Operation:     legacyplugin.AdmissionRequest_CREATE,
		Kind:          &legacyplugin.GroupVersionKind{Group: "soak.gfsdk.dev", Version: "v1", Kind: "Thing"},
		ObjectBytes:   b,
	}
}

func opValidate(ctx context.Context, d *driver, r *rand.Rand) result {
	valid := r.IntN(3) != 0
	b, _ := admissionObject(r, valid)
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	res, err := d.s.admission.ValidateAdmission(cctx, admissionRequest(d, b))
	if status.Code(err) == codes.Unimplemented {
		return result{outcome: unimplemented}
	}
	if err != nil {
		return rpcErr(err)
	}
	if valid && !res.Allowed {
		return bad("a valid object was not allowed: %v", res.Result)
	}
	if !valid && (res.Allowed || res.Result.GetCode() != 400 || !strings.Contains(res.Result.GetMessage(), "spec.valid")) {
		return bad("spec.valid false: allowed %v result %v, want refused with 400 naming spec.valid", res.Allowed, res.Result)
	}
	return ok()
}

func opMutate(ctx context.Context, d *driver, r *rand.Rand) result {
	b, obj := admissionObject(r, true)
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	res, err := d.s.admission.MutateAdmission(cctx, admissionRequest(d, b))
	if status.Code(err) == codes.Unimplemented {
		return result{outcome: unimplemented}
	}
	if err != nil {
		return rpcErr(err)
	}
	if !res.Allowed {
		return bad("not allowed: %v", res.Result)
	}
	obj["metadata"].(map[string]any)["annotations"].(map[string]any)["gfsdk.dev/mutated"] = "true"
	if err := sameJSON(res.ObjectBytes, obj); err != nil {
		return bad("mutated object: %v", err)
	}
	return ok()
}

func opConvert(ctx context.Context, d *driver, r *rand.Rand) result {
	n := 1 + r.IntN(3)
	broken := r.IntN(5) == 0
	var objs []*legacyplugin.RawObject
	var want []map[string]any
	for i := 0; i < n; i++ {
		b, obj := admissionObject(r, true)
		obj["apiVersion"] = "soak.gfsdk.dev/v2"
		objs = append(objs, &legacyplugin.RawObject{Raw: b, ContentType: "application/json"})
		want = append(want, obj)
	}
	if broken {
		objs = append(objs, &legacyplugin.RawObject{Raw: []byte("{not json"), ContentType: "application/json"})
	}
	uid := fmt.Sprintf("soak-%d", r.Uint64())
	cctx, cancel := context.WithTimeout(ctx, d.callTimeout)
	defer cancel()
	res, err := d.s.conversion.ConvertObjects(cctx, &legacyplugin.ConversionRequest{
		PluginContext: d.pluginOnlyContext(), Uid: uid, Objects: objs,
		TargetVersion: &legacyplugin.GroupVersion{Group: "soak.gfsdk.dev", Version: "v2"},
	})
	if status.Code(err) == codes.Unimplemented {
		return result{outcome: unimplemented}
	}
	if err != nil {
		return rpcErr(err)
	}
	if res.Uid != uid {
		return bad("uid %q, want %q", res.Uid, uid)
	}
	if broken {
		if res.Result.GetStatus() != "Failure" || res.Result.GetCode() != 400 || len(res.Objects) != 0 {
			return bad("an object that is not JSON: result %v and %d objects, want Failure 400 and none", res.Result, len(res.Objects))
		}
		return ok()
	}
	if res.Result.GetStatus() != "Success" || len(res.Objects) != n {
		return bad("result %v with %d objects, want Success with %d", res.Result, len(res.Objects), n)
	}
	for i, o := range res.Objects {
		if err := sameJSON(o.Raw, want[i]); err != nil {
			return bad("object %d: %v", i, err)
		}
	}
	return ok()
}

func sameJSON(got []byte, want map[string]any) error {
	var g any
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	a, _ := json.Marshal(g)
	b, _ := json.Marshal(want)
	if !bytes.Equal(a, b) {
		return fmt.Errorf("got %s, want %s", truncate(string(a), 300), truncate(string(b), 300))
	}
	return nil
}
