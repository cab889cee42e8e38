package host

// The scenarios of the testdata contract's issue-8 additions: QueryChunkedData,
// admission and conversion (through the pre-v0.300.0 client of
// internal/legacyplugin), the bad-value table, and the errorSource fields that
// SDK v0.300.0 adds to CheckHealthResponse and CallResourceResponse.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/datasourcetest"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/gfsdk/gfsdk/tools/interop/internal/framecmp"
	"github.com/gfsdk/gfsdk/tools/interop/internal/legacyplugin"
)

// ---------------------------------------------------------------- QueryChunkedData

// ChunkedRequest wraps queries in a QueryChunkedDataRequest shaped like QueryRequest's.
func ChunkedRequest(format pluginv2.DataFrameFormat, queries ...*pluginv2.DataQuery) *pluginv2.QueryChunkedDataRequest {
	q := QueryRequest(format, queries...)
	return &pluginv2.QueryChunkedDataRequest{PluginContext: q.PluginContext, Headers: q.Headers, Queries: q.Queries, Format: q.Format}
}

// readChunks reads every message of one QueryChunkedData answer.
func readChunks(ctx context.Context, s *Session, req *pluginv2.QueryChunkedDataRequest) ([]*pluginv2.QueryChunkedDataResponse, error) {
	stream, err := s.Data.QueryChunkedData(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("QueryChunkedData: %w", err)
	}
	var msgs []*pluginv2.QueryChunkedDataResponse
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return msgs, nil
		}
		if err != nil {
			return msgs, fmt.Errorf("QueryChunkedData after %d messages: %w", len(msgs), err)
		}
		msgs = append(msgs, m)
	}
}

// chunkRowCount decodes one frame chunk on its own and returns its rows:
// an Arrow chunk must be a whole Arrow IPC file; a JSON chunk is frame JSON
// with schema and data when first of its frameId, data only after.
func chunkRowCount(m *pluginv2.QueryChunkedDataResponse, first bool) (int, error) {
	switch m.Format {
	case pluginv2.DataFrameFormat_ARROW:
		if !bytes.HasPrefix(m.Frame, arrowMagic) || !bytes.HasSuffix(m.Frame, arrowMagic) {
			return 0, errors.New("not an Arrow IPC file (no ARROW1 magic at both ends)")
		}
		f, err := data.UnmarshalArrowFrame(m.Frame)
		if err != nil {
			return 0, fmt.Errorf("data.UnmarshalArrowFrame: %w", err)
		}
		return f.Rows(), nil
	case pluginv2.DataFrameFormat_JSON:
		var parts struct {
			Schema json.RawMessage `json:"schema"`
			Data   struct {
				Values []json.RawMessage `json:"values"`
			} `json:"data"`
		}
		if err := json.Unmarshal(m.Frame, &parts); err != nil {
			return 0, fmt.Errorf("not frame JSON: %w", err)
		}
		if first && len(parts.Schema) == 0 {
			return 0, errors.New("first chunk of its frameId has no schema")
		}
		if !first && len(parts.Schema) > 0 {
			return 0, errors.New("a later chunk of its frameId repeats the schema (want data only)")
		}
		if len(parts.Data.Values) == 0 {
			return 0, nil
		}
		var col []json.RawMessage
		if err := json.Unmarshal(parts.Data.Values[0], &col); err != nil {
			return 0, fmt.Errorf("data.values[0]: %w", err)
		}
		return len(col), nil
	}
	return 0, fmt.Errorf("unknown frame format %v", m.Format)
}

// chunkedAnswer is one QueryChunkedData answer checked message by message
// and accumulated per refId by the SDK's own decoder
// (experimental/datasourcetest.AccumulateArrow / AccumulateJSON).
type chunkedAnswer struct {
	msgs []*pluginv2.QueryChunkedDataResponse
	// chunkRows[refId][frameId] lists the rows of each chunk, in order.
	chunkRows map[string]map[string][]int
	// errors holds the error message of each refId that failed.
	errors map[string]*pluginv2.QueryChunkedDataResponse
	resp   *backend.QueryDataResponse
}

func queryChunked(ctx context.Context, s *Session, req *pluginv2.QueryChunkedDataRequest) (*chunkedAnswer, error) {
	msgs, err := readChunks(ctx, s, req)
	if err != nil {
		return nil, err
	}
	return checkChunks(msgs, req.Format)
}

func checkChunks(msgs []*pluginv2.QueryChunkedDataResponse, format pluginv2.DataFrameFormat) (*chunkedAnswer, error) {
	a := &chunkedAnswer{msgs: msgs, chunkRows: map[string]map[string][]int{}, errors: map[string]*pluginv2.QueryChunkedDataResponse{}}
	var frameMsgs []*pluginv2.QueryChunkedDataResponse
	lastFrameID := map[string]string{}
	for i, m := range msgs {
		if m.RefId == "" {
			return nil, fmt.Errorf("message %d has no refId", i)
		}
		if m.Error != "" {
			if len(m.Frame) > 0 || m.FrameId != "" {
				return nil, fmt.Errorf("message %d (refId %s): an error message that also carries a frame", i, m.RefId)
			}
			if _, dup := a.errors[m.RefId]; dup {
				return nil, fmt.Errorf("refId %s: more than one error message", m.RefId)
			}
			if _, streamed := a.chunkRows[m.RefId]; streamed {
				return nil, fmt.Errorf("refId %s: an error message after frames", m.RefId)
			}
			a.errors[m.RefId] = m
			continue
		}
		if _, failed := a.errors[m.RefId]; failed {
			return nil, fmt.Errorf("refId %s: a frame after its error message", m.RefId)
		}
		if m.FrameId == "" {
			return nil, fmt.Errorf("message %d (refId %s): a frame without frameId", i, m.RefId)
		}
		if m.Status != 0 && m.Status != 200 {
			return nil, fmt.Errorf("message %d (refId %s): status %d on a frame", i, m.RefId, m.Status)
		}
		if m.Format != format {
			return nil, fmt.Errorf("message %d (refId %s): format %s, want the request's %s", i, m.RefId, m.Format, format)
		}
		byFrame := a.chunkRows[m.RefId]
		if byFrame == nil {
			byFrame = map[string][]int{}
			a.chunkRows[m.RefId] = byFrame
		}
		_, seen := byFrame[m.FrameId]
		if seen && lastFrameID[m.RefId] != m.FrameId {
			return nil, fmt.Errorf("refId %s: frameId %q resumed after another frame (chunks of a frame must be consecutive)", m.RefId, m.FrameId)
		}
		lastFrameID[m.RefId] = m.FrameId
		n, err := chunkRowCount(m, !seen)
		if err != nil {
			return nil, fmt.Errorf("message %d (refId %s, frameId %s): %w", i, m.RefId, m.FrameId, err)
		}
		byFrame[m.FrameId] = append(byFrame[m.FrameId], n)
		frameMsgs = append(frameMsgs, m)
	}
	seq := iter.Seq2[*pluginv2.QueryChunkedDataResponse, error](func(yield func(*pluginv2.QueryChunkedDataResponse, error) bool) {
		for _, m := range frameMsgs {
			if !yield(m, nil) {
				return
			}
		}
	})
	var err error
	if format == pluginv2.DataFrameFormat_JSON {
		a.resp, err = datasourcetest.AccumulateJSON(seq)
	} else {
		a.resp, err = datasourcetest.AccumulateArrow(seq)
	}
	if err != nil {
		return nil, fmt.Errorf("the SDK's accumulation of the chunks: %w", err)
	}
	return a, nil
}

// sameFrames compares the frames accumulated from the chunks of refID with
// the frames QueryData answers for the same request. The chunked writer of
// the Go SDK stamps each chunk with its refId, which QueryData frames need
// not carry, so refIds are left out of the comparison.
func sameFrames(want data.Frames, got data.Frames, what string) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: %d frames from the chunks, QueryData has %d", what, len(got), len(want))
	}
	for i := range want {
		w, g := *want[i], *got[i]
		w.RefID, g.RefID = "", ""
		if d := framecmp.Compare(&w, &g); len(d) > 0 {
			return fmt.Errorf("%s: frame %d from the chunks differs from QueryData's: %s", what, i, strings.Join(d, "; "))
		}
	}
	return nil
}

func queryFramesFor(ctx context.Context, s *Session, format pluginv2.DataFrameFormat, q *pluginv2.DataQuery) (data.Frames, error) {
	frames, res, err := query(ctx, s, QueryRequest(format, q), q.RefId)
	if err != nil {
		return nil, fmt.Errorf("QueryData: %w", err)
	}
	if err := expectOK(res, format); err != nil {
		return nil, fmt.Errorf("QueryData: %w", err)
	}
	return frames, nil
}

func scChunkedRandomWalk(format pluginv2.DataFrameFormat) func(context.Context, *Harness) error {
	return func(ctx context.Context, h *Harness) error {
		from, to := timeRange()
		q := Query("A", "random_walk", map[string]int{"seriesCount": 3, "seed": 42}, 50, from, to)
		want, err := queryFramesFor(ctx, h.Session, format, q)
		if err != nil {
			return err
		}
		a, err := queryChunked(ctx, h.Session, ChunkedRequest(format, q))
		if err != nil {
			return err
		}
		if len(a.errors) > 0 {
			return fmt.Errorf("error message for A: %q", a.errors["A"].Error)
		}
		if n := len(a.chunkRows["A"]); n != 3 {
			return fmt.Errorf("%d frameIds for A, want one per frame (3)", n)
		}
		for id, rows := range a.chunkRows["A"] {
			if len(rows) != 1 {
				return fmt.Errorf("frameId %q came in %d chunks, want 1 (only rows frames are cut)", id, len(rows))
			}
		}
		r := a.resp.Responses["A"]
		if r.Status != 200 {
			return fmt.Errorf("accumulated status %d, want 200", r.Status)
		}
		for i, f := range r.Frames {
			if err := checkTimeValue(f, 50, from, to); err != nil {
				return fmt.Errorf("frame %d: %w", i, err)
			}
		}
		return sameFrames(want, r.Frames, "A")
	}
}

func scChunkedRows(format pluginv2.DataFrameFormat) func(context.Context, *Harness) error {
	return func(ctx context.Context, h *Harness) error {
		from, to := timeRange()
		cases := []struct {
			model  map[string]int
			chunks []int
		}{
			{map[string]int{"rows": 2500, "chunkRows": 1000}, []int{1000, 1000, 500}},
			{map[string]int{"rows": 3000, "chunkRows": 1000}, []int{1000, 1000, 1000}},
			{map[string]int{"rows": 1}, []int{1}},
			// chunkRows defaults to 100,000.
			{map[string]int{"rows": 250_000}, []int{100_000, 100_000, 50_000}},
		}
		for _, c := range cases {
			what := fmt.Sprintf("%v", c.model)
			q := Query("A", "rows", c.model, 100, from, to)
			want, err := queryFramesFor(ctx, h.Session, format, q)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if _, err := rowsFrame(want, c.model["rows"]); err != nil {
				return fmt.Errorf("%s: QueryData: %w", what, err)
			}
			a, err := queryChunked(ctx, h.Session, ChunkedRequest(format, q))
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if len(a.errors) > 0 {
				return fmt.Errorf("%s: error message %q", what, a.errors["A"].Error)
			}
			if len(a.chunkRows["A"]) != 1 {
				return fmt.Errorf("%s: %d frameIds, want the rows frame under one", what, len(a.chunkRows["A"]))
			}
			for id, rows := range a.chunkRows["A"] {
				if !reflect.DeepEqual(rows, c.chunks) {
					return fmt.Errorf("%s: frameId %q came in chunks of %v rows, want %v", what, id, rows, c.chunks)
				}
			}
			if err := sameFrames(want, a.resp.Responses["A"].Frames, what); err != nil {
				return err
			}
		}
		return nil
	}
}

func scChunkedError(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := ChunkedRequest(pluginv2.DataFrameFormat_ARROW,
		Query("A", "rows", map[string]int{"rows": 300, "chunkRows": 100}, 100, from, to),
		Query("B", "error", map[string]interface{}{"source": "downstream", "status": 502, "message": "upstream said no 🦥"}, 100, from, to),
		Query("C", "no_such_type_xyz", map[string]int{}, 100, from, to),
		Query("D", "random_walk", map[string]int{"seed": 3}, 10, from, to),
	)
	a, err := queryChunked(ctx, h.Session, req)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		ref, contains string
		status        int32
		source        string
	}{
		{"B", "upstream said no 🦥", 502, "downstream"},
		{"C", "no_such_type_xyz", 400, "plugin"},
	} {
		m := a.errors[c.ref]
		if m == nil {
			return fmt.Errorf("no error message for %s (frames: %v)", c.ref, a.chunkRows[c.ref])
		}
		if _, streamed := a.chunkRows[c.ref]; streamed {
			return fmt.Errorf("%s: frames besides its error", c.ref)
		}
		if !strings.Contains(m.Error, c.contains) {
			return fmt.Errorf("%s: error %q does not contain %q", c.ref, m.Error, c.contains)
		}
		if m.Status != c.status {
			return fmt.Errorf("%s: status %d, want %d", c.ref, m.Status, c.status)
		}
		if m.ErrorSource != "" && m.ErrorSource != c.source {
			return fmt.Errorf("%s: errorSource %q, want %q", c.ref, m.ErrorSource, c.source)
		}
	}
	if rows := a.chunkRows["A"]; len(rows) != 1 {
		return fmt.Errorf("A: %d frameIds, want 1 (the other refIds still stream)", len(rows))
	}
	for _, rows := range a.chunkRows["A"] {
		if !reflect.DeepEqual(rows, []int{100, 100, 100}) {
			return fmt.Errorf("A: chunks of %v rows, want [100 100 100]", rows)
		}
	}
	if len(a.chunkRows["D"]) != 1 {
		return fmt.Errorf("D: %d frameIds, want 1", len(a.chunkRows["D"]))
	}
	return nil
}

func scChunkedBadModel(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	cases := map[string]map[string]interface{}{
		"A": {"rows": 10, "chunkRows": 0},
		"B": {"rows": 10, "chunkRows": 10_000_001},
		"C": {"rows": 10, "chunkRows": 2.5},
		"D": {"rows": 10, "chunkRows": "100"},
		"E": {"rows": -1},
	}
	field := map[string]string{"A": "chunkRows", "B": "chunkRows", "C": "chunkRows", "D": "chunkRows", "E": "rows"}
	var queries []*pluginv2.DataQuery
	for ref, model := range cases {
		queries = append(queries, Query(ref, "rows", model, 100, from, to))
	}
	queries = append(queries, Query("OK", "rows", map[string]int{"rows": 10, "chunkRows": 10_000_000}, 100, from, to))
	a, err := queryChunked(ctx, h.Session, ChunkedRequest(pluginv2.DataFrameFormat_ARROW, queries...))
	if err != nil {
		return err
	}
	for ref := range cases {
		m := a.errors[ref]
		if m == nil {
			return fmt.Errorf("%s %v: no error message (chunks %v)", ref, cases[ref], a.chunkRows[ref])
		}
		if m.Status != 400 {
			return fmt.Errorf("%s %v: status %d, want 400", ref, cases[ref], m.Status)
		}
		if m.ErrorSource != "" && m.ErrorSource != "plugin" {
			return fmt.Errorf("%s %v: errorSource %q, want plugin", ref, cases[ref], m.ErrorSource)
		}
		if !strings.Contains(m.Error, field[ref]) {
			return fmt.Errorf("%s %v: error %q does not name %s", ref, cases[ref], m.Error, field[ref])
		}
	}
	if rows := a.chunkRows["OK"]; len(rows) != 1 || a.errors["OK"] != nil {
		return fmt.Errorf("OK (chunkRows 10,000,000): chunks %v, error %v; want one chunk", rows, a.errors["OK"])
	}
	return nil
}

// slowConsumerRSSBoundKB bounds how much the plugin's resident memory may
// grow while the consumer of a chunked answer pauses: the rest of the answer
// is about 80 MiB, so a producer that does not wait for the transport passes
// it.
const slowConsumerRSSBoundKB = 40 * 1024

// scChunkedSlowConsumer reads a 3,000,000-row answer (200 chunks of 15,000
// rows) one chunk, pauses 1.5 s, then reads on at 1 ms per chunk. While it
// pauses the plugin must answer other calls promptly and its RSS must grow by
// less than slowConsumerRSSBoundKB; afterwards every row must arrive.
func scChunkedSlowConsumer(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	const rows, chunkRows = 3_000_000, 15_000
	req := ChunkedRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "rows", map[string]int{"rows": rows, "chunkRows": chunkRows}, 100, from, to))
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := h.Session.Data.QueryChunkedData(sctx, req)
	if err != nil {
		return fmt.Errorf("QueryChunkedData: %w", err)
	}
	first, err := stream.Recv()
	if err != nil {
		return fmt.Errorf("first chunk: %w", err)
	}
	msgs := []*pluginv2.QueryChunkedDataResponse{first}
	rssBefore, _, err := RSSKB(h.Session.Pid)
	if err != nil {
		return err
	}
	pauseEnd := time.Now().Add(1500 * time.Millisecond)
	hctx, hcancel := context.WithTimeout(ctx, time.Second)
	if err := scCheckHealthOK(hctx, h); err != nil {
		hcancel()
		return fmt.Errorf("CheckHealth while a chunked answer waits for its consumer: %w", err)
	}
	_, res, err := query(hctx, h.Session, QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("Q", "random_walk", map[string]int{"seed": 1}, 10, from, to)), "Q")
	hcancel()
	if err != nil {
		return fmt.Errorf("QueryData while a chunked answer waits for its consumer: %w", err)
	}
	if err := expectOK(res, pluginv2.DataFrameFormat_ARROW); err != nil {
		return fmt.Errorf("QueryData while a chunked answer waits for its consumer: %w", err)
	}
	var peak int64
	for time.Now().Before(pauseEnd) {
		rss, _, err := RSSKB(h.Session.Pid)
		if err == nil && rss > peak {
			peak = rss
		}
		time.Sleep(50 * time.Millisecond)
	}
	if grew := peak - rssBefore; grew > slowConsumerRSSBoundKB {
		return fmt.Errorf("plugin RSS grew by %d KiB (from %d) while the consumer paused, bound %d KiB: the producer does not wait for the transport",
			grew, rssBefore, slowConsumerRSSBoundKB)
	}
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("after %d chunks: %w", len(msgs), err)
		}
		msgs = append(msgs, m)
		time.Sleep(time.Millisecond)
	}
	a, err := checkChunks(msgs, req.Format)
	if err != nil {
		return err
	}
	if len(a.chunkRows["A"]) != 1 {
		return fmt.Errorf("%d frameIds, want 1", len(a.chunkRows["A"]))
	}
	for _, sizes := range a.chunkRows["A"] {
		if len(sizes) != rows/chunkRows {
			return fmt.Errorf("%d chunks, want %d", len(sizes), rows/chunkRows)
		}
	}
	_, err = rowsFrame(a.resp.Responses["A"].Frames, rows)
	return err
}

// ---------------------------------------------------------------- bad model values

// scBadModelValues sends one query per bad value of the contract's table;
// each must answer 400, source plugin, an error naming the field, no frame.
func scBadModelValues(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	type bad struct {
		queryType, field string
		model            map[string]interface{}
	}
	cases := []bad{
		{"random_walk", "seriesCount", map[string]interface{}{"seriesCount": 0}},
		{"random_walk", "seriesCount", map[string]interface{}{"seriesCount": 1001}},
		{"random_walk", "seriesCount", map[string]interface{}{"seriesCount": 1.5}},
		{"random_walk", "seriesCount", map[string]interface{}{"seriesCount": "3"}},
		{"random_walk", "seed", map[string]interface{}{"seed": 0.5}},
		{"random_walk", "seed", map[string]interface{}{"seed": "42"}},
		{"slow", "seed", map[string]interface{}{"ms": 1, "seed": "x"}},
		{"slow", "ms", map[string]interface{}{"ms": -1}},
		{"slow", "ms", map[string]interface{}{"ms": 600_001}},
		{"slow", "ms", map[string]interface{}{"ms": "10"}},
		{"rows", "rows", map[string]interface{}{"rows": -1}},
		{"rows", "rows", map[string]interface{}{"rows": 10_000_001}},
		{"rows", "rows", map[string]interface{}{"rows": 2.5}},
		{"error", "status", map[string]interface{}{"source": "plugin", "status": 99}},
		{"error", "status", map[string]interface{}{"source": "plugin", "status": 600}},
		{"error", "status", map[string]interface{}{"source": "plugin", "status": "500"}},
		{"error", "source", map[string]interface{}{"source": "elsewhere"}},
	}
	var queries []*pluginv2.DataQuery
	for i, c := range cases {
		queries = append(queries, Query(fmt.Sprintf("Q%d", i), c.queryType, c.model, 10, from, to))
	}
	// The limits themselves are accepted.
	queries = append(queries,
		Query("OK1", "random_walk", map[string]int{"seriesCount": 1000, "seed": -7}, 2, from, to),
		Query("OK2", "slow", map[string]int{"ms": 0, "seed": 1}, 2, from, to),
		Query("OK3", "rows", map[string]int{"rows": 0}, 2, from, to),
		Query("OK4", "error", map[string]interface{}{"source": "downstream", "status": 599}, 2, from, to),
		Query("OK5", "error", map[string]interface{}{"source": "plugin", "status": 100}, 2, from, to),
	)
	resp, err := h.Session.Data.QueryData(ctx, QueryRequest(pluginv2.DataFrameFormat_ARROW, queries...))
	if err != nil {
		return fmt.Errorf("QueryData: %w", err)
	}
	for i, c := range cases {
		r := resp.Responses[fmt.Sprintf("Q%d", i)]
		what := fmt.Sprintf("%s %v", c.queryType, c.model)
		if r == nil {
			return fmt.Errorf("%s: no response", what)
		}
		if r.Status != 400 || r.ErrorSource != "plugin" {
			return fmt.Errorf("%s: status %d source %q (error %q), want 400 plugin", what, r.Status, r.ErrorSource, r.Error)
		}
		if !strings.Contains(r.Error, c.field) {
			return fmt.Errorf("%s: error %q does not name %s", what, r.Error, c.field)
		}
		if len(r.Frames) != 0 {
			return fmt.Errorf("%s: %d frames, want none", what, len(r.Frames))
		}
	}
	for ref, st := range map[string]int32{"OK1": 200, "OK2": 200, "OK3": 200, "OK4": 599, "OK5": 100} {
		r := resp.Responses[ref]
		if r == nil || r.Status != st {
			return fmt.Errorf("%s (a limit of the table): %v, want status %d", ref, r, st)
		}
	}
	if n := len(resp.Responses["OK1"].Frames); n != 1000 {
		return fmt.Errorf("OK1: %d frames, want seriesCount = 1000", n)
	}
	return nil
}

// ---------------------------------------------------------------- errorSource (v0.300.0)

var errorSources = map[string]bool{"plugin": true, "downstream": true}

func scCheckHealthErrorSource(ctx context.Context, h *Harness) error {
	res, err := h.Session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{
		PluginContext: PluginContext(DataSource(2, "interop-ds-fail", `{"fail":true}`)),
	})
	if err != nil {
		return err
	}
	if res.Status != pluginv2.CheckHealthResponse_ERROR || !errorSources[res.ErrorSource] {
		return fmt.Errorf("status %s errorSource %q, want ERROR with errorSource plugin or downstream", res.Status, res.ErrorSource)
	}
	ok, err := h.Session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: DefaultContext()})
	if err != nil {
		return err
	}
	if ok.Status != pluginv2.CheckHealthResponse_OK || ok.ErrorSource != "" {
		return fmt.Errorf("healthy: status %s errorSource %q, want OK and none", ok.Status, ok.ErrorSource)
	}
	return nil
}

func scResourceErrorSource(ctx context.Context, h *Harness) error {
	msgs, err := callResource(ctx, h.Session, resourceRequest("GET", "no/such/path", "", nil))
	if err != nil {
		return err
	}
	if msgs[0].Code != 404 || !errorSources[msgs[0].ErrorSource] {
		return fmt.Errorf("status %d errorSource %q, want 404 with errorSource plugin or downstream", msgs[0].Code, msgs[0].ErrorSource)
	}
	msgs, err = callResource(ctx, h.Session, resourceRequest("GET", "echo", "", nil))
	if err != nil {
		return err
	}
	if msgs[0].Code != 200 || msgs[0].ErrorSource != "" {
		return fmt.Errorf("echo: status %d errorSource %q, want 200 and none", msgs[0].Code, msgs[0].ErrorSource)
	}
	return nil
}

// ---------------------------------------------------------------- admission and conversion (before v0.300.0)

// pluginOnlyContext is the context Grafana sends to admission and
// conversion: no data source settings.
func pluginOnlyContext() *pluginv2.PluginContext {
	c := DefaultContext()
	c.DataSourceInstanceSettings = nil
	return c
}

func thing(extra func(map[string]interface{})) ([]byte, map[string]interface{}) {
	obj := map[string]interface{}{
		"apiVersion": "interop.gfsdk.dev/v1",
		"kind":       "Thing",
		"metadata":   map[string]interface{}{"name": "thing-1", "namespace": "default", "annotations": map[string]interface{}{"a": "b"}},
		"spec":       map[string]interface{}{"valid": true, "n": 3.0, "s": "🦥"},
	}
	if extra != nil {
		extra(obj)
	}
	b, err := json.Marshal(obj)
	if err != nil {
		panic(err)
	}
	return b, obj
}

func admissionRequest(b []byte) *legacyplugin.AdmissionRequest {
	return &legacyplugin.AdmissionRequest{
		PluginContext: pluginOnlyContext(),
		Operation:     legacyplugin.AdmissionRequest_CREATE,
		Kind:          &legacyplugin.GroupVersionKind{Group: "interop.gfsdk.dev", Version: "v1", Kind: "Thing"},
		ObjectBytes:   b,
	}
}

// sameJSON compares a JSON document with an expected value, key order aside.
func sameJSON(got []byte, want interface{}) error {
	var g interface{}
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Errorf("not JSON: %w (%q)", err, trunc(string(got)))
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(want)
	if !bytes.Equal(gb, wb) {
		return fmt.Errorf("got %s, want %s", trunc(string(gb)), trunc(string(wb)))
	}
	return nil
}

func scValidateAllowed(ctx context.Context, h *Harness) error {
	for _, edit := range []func(map[string]interface{}){
		nil,
		func(o map[string]interface{}) { delete(o, "spec") },
		func(o map[string]interface{}) { o["spec"] = map[string]interface{}{"valid": "false"} },
	} {
		b, _ := thing(edit)
		res, err := h.Session.Admission.ValidateAdmission(ctx, admissionRequest(b))
		if err != nil {
			return fmt.Errorf("ValidateAdmission %s: %w", b, err)
		}
		if !res.Allowed {
			return fmt.Errorf("%s: not allowed (%v), want allowed", b, res.Result)
		}
	}
	return nil
}

func scValidateDenied(ctx context.Context, h *Harness) error {
	b, _ := thing(func(o map[string]interface{}) { o["spec"].(map[string]interface{})["valid"] = false })
	res, err := h.Session.Admission.ValidateAdmission(ctx, admissionRequest(b))
	if err != nil {
		return fmt.Errorf("ValidateAdmission: %w", err)
	}
	if res.Allowed {
		return errors.New(`"spec": {"valid": false} was allowed`)
	}
	if res.Result.GetCode() != 400 || !strings.Contains(res.Result.GetMessage(), "spec.valid") {
		return fmt.Errorf("result %v, want code 400 and a message naming spec.valid", res.Result)
	}
	return nil
}

func scMutate(ctx context.Context, h *Harness) error {
	for _, edit := range []func(map[string]interface{}){
		nil,
		func(o map[string]interface{}) { delete(o["metadata"].(map[string]interface{}), "annotations") },
	} {
		b, want := thing(edit)
		res, err := h.Session.Admission.MutateAdmission(ctx, admissionRequest(b))
		if err != nil {
			return fmt.Errorf("MutateAdmission: %w", err)
		}
		if !res.Allowed {
			return fmt.Errorf("%s: not allowed (%v)", b, res.Result)
		}
		md := want["metadata"].(map[string]interface{})
		ann, _ := md["annotations"].(map[string]interface{})
		if ann == nil {
			ann = map[string]interface{}{}
			md["annotations"] = ann
		}
		ann["gfsdk.dev/mutated"] = "true"
		if err := sameJSON(res.ObjectBytes, want); err != nil {
			return fmt.Errorf("mutated %s: %w", b, err)
		}
	}
	return nil
}

func scConvert(ctx context.Context, h *Harness) error {
	var objs []*legacyplugin.RawObject
	var want []map[string]interface{}
	for i := 0; i < 3; i++ {
		b, o := thing(func(o map[string]interface{}) {
			o["metadata"].(map[string]interface{})["name"] = fmt.Sprintf("thing-%d", i)
		})
		o["apiVersion"] = "interop.gfsdk.dev/v2"
		objs = append(objs, &legacyplugin.RawObject{Raw: b, ContentType: "application/json"})
		want = append(want, o)
	}
	res, err := h.Session.Conversion.ConvertObjects(ctx, &legacyplugin.ConversionRequest{
		PluginContext: pluginOnlyContext(), Uid: "interop-uid-1", Objects: objs,
		TargetVersion: &legacyplugin.GroupVersion{Group: "interop.gfsdk.dev", Version: "v2"},
	})
	if err != nil {
		return fmt.Errorf("ConvertObjects: %w", err)
	}
	if res.Uid != "interop-uid-1" {
		return fmt.Errorf("uid %q, want interop-uid-1 echoed", res.Uid)
	}
	if res.Result.GetStatus() != "Success" || len(res.Objects) != len(want) {
		return fmt.Errorf("result %v with %d objects, want Success with %d", res.Result, len(res.Objects), len(want))
	}
	for i, o := range res.Objects {
		if err := sameJSON(o.Raw, want[i]); err != nil {
			return fmt.Errorf("object %d: %w", i, err)
		}
	}
	return nil
}

func scConvertNotJSON(ctx context.Context, h *Harness) error {
	b, _ := thing(nil)
	res, err := h.Session.Conversion.ConvertObjects(ctx, &legacyplugin.ConversionRequest{
		PluginContext: pluginOnlyContext(), Uid: "interop-uid-2",
		Objects:       []*legacyplugin.RawObject{{Raw: b, ContentType: "application/json"}, {Raw: []byte("{not json"), ContentType: "application/json"}},
		TargetVersion: &legacyplugin.GroupVersion{Group: "interop.gfsdk.dev", Version: "v2"},
	})
	if err != nil {
		return fmt.Errorf("ConvertObjects: %w", err)
	}
	if res.Uid != "interop-uid-2" {
		return fmt.Errorf("uid %q, want interop-uid-2 echoed", res.Uid)
	}
	if res.Result.GetStatus() != "Failure" || res.Result.GetCode() != 400 || len(res.Objects) != 0 {
		return fmt.Errorf("result %v with %d objects, want Failure, code 400 and no objects", res.Result, len(res.Objects))
	}
	// The plugin keeps serving.
	return scConvert(ctx, h)
}
