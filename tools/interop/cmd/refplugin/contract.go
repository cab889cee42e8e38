package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var _ backend.QueryChunkedDataHandler = (*Datasource)(nil)

// The contract's limits (the bad-value table of testdata-plugin.md).
const (
	maxRows         = 10_000_000
	defaultChunkRow = 100_000
)

type intRule struct {
	field    string
	min, max float64
}

// rules lists the integer fields of each queryType and their ranges; seed
// has no range but must be an integer.
var rules = map[string][]intRule{
	"random_walk": {{"seriesCount", 1, 1000}, {"seed", math.MinInt64, math.MaxInt64}},
	"slow":        {{"ms", 0, 600_000}, {"seed", math.MinInt64, math.MaxInt64}},
	"rows":        {{"rows", 0, maxRows}},
	"error":       {{"status", 100, 599}},
}

// checkModel refuses the bad values of the contract's table before any
// generator runs, naming the field.
func checkModel(queryType string, raw []byte) error {
	fields := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &fields); err != nil {
			return fmt.Errorf("the query model is not a JSON object: %w", err)
		}
	}
	for _, r := range rules[queryType] {
		if err := checkInt(fields, queryType, r); err != nil {
			return err
		}
	}
	if queryType == "error" {
		if v, ok := fields["source"]; ok {
			var s string
			if json.Unmarshal(v, &s) != nil || (s != "plugin" && s != "downstream") {
				return fmt.Errorf("error.source must be \"plugin\" or \"downstream\", got %s", v)
			}
		}
	}
	return nil
}

func checkInt(fields map[string]json.RawMessage, queryType string, r intRule) error {
	v, ok := fields[r.field]
	if !ok || string(v) == "null" {
		return nil
	}
	var n float64
	if err := json.Unmarshal(v, &n); err != nil || n != math.Trunc(n) || n < r.min || n > r.max {
		if r.min == math.MinInt64 {
			return fmt.Errorf("%s.%s must be an integer, got %s", queryType, r.field, v)
		}
		return fmt.Errorf("%s.%s must be an integer from %d to %d, got %s", queryType, r.field, int64(r.min), int64(r.max), v)
	}
	return nil
}

// chunkRowsOf reads the QueryChunkedData-only chunkRows field.
func chunkRowsOf(queryType string, raw []byte) (int, error) {
	fields := map[string]json.RawMessage{}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &fields); err != nil {
			return 0, fmt.Errorf("the query model is not a JSON object: %w", err)
		}
	}
	if _, ok := fields["chunkRows"]; !ok {
		return defaultChunkRow, nil
	}
	if err := checkInt(fields, queryType, intRule{"chunkRows", 1, maxRows}); err != nil {
		return 0, err
	}
	var n int
	_ = json.Unmarshal(fields["chunkRows"], &n)
	return n, nil
}

// QueryChunkedData streams what QueryData answers: each frame under its own
// frameId, a rows frame cut into chunks of at most chunkRows rows, and one
// error message for a query that fails. The SDK's gRPC stream blocks in Send
// when the consumer does not read, so nothing piles up here.
func (d *Datasource) QueryChunkedData(ctx context.Context, req *backend.QueryChunkedDataRequest, w backend.ChunkedDataWriter) error {
	for _, q := range req.Queries {
		chunkRows, err := chunkRowsOf(q.QueryType, q.JSON)
		if err != nil {
			if err := w.WriteError(ctx, q.RefID, backend.StatusBadRequest, err); err != nil {
				return err
			}
			continue
		}
		if q.QueryType == "rows" && checkModel("rows", q.JSON) == nil {
			if err := writeRows(ctx, w, q, chunkRows); err != nil {
				return err
			}
			continue
		}
		res, err := d.answer(ctx, q)
		if err != nil {
			return err
		}
		if res.Error != nil {
			status := res.Status
			if status == 0 {
				status = http.StatusInternalServerError
			}
			if err := w.WriteError(ctx, q.RefID, status, res.Error); err != nil {
				return err
			}
			continue
		}
		for i, f := range res.Frames {
			if err := w.WriteFrame(ctx, q.RefID, fmt.Sprintf("%s-%d", q.RefID, i), f); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeRows(ctx context.Context, w backend.ChunkedDataWriter, q backend.DataQuery, chunkRows int) error {
	var m struct {
		Rows int `json:"rows"`
	}
	if err := json.Unmarshal(q.JSON, &m); err != nil {
		return errors.New("rows: " + err.Error())
	}
	frameID := q.RefID + "-0"
	if m.Rows == 0 {
		return w.WriteFrame(ctx, q.RefID, frameID, rowsSlice(q, 0, 0))
	}
	for start := 0; start < m.Rows; start += chunkRows {
		end := min(m.Rows, start+chunkRows)
		if err := w.WriteFrame(ctx, q.RefID, frameID, rowsSlice(q, start, end)); err != nil {
			return err
		}
	}
	return nil
}

// rowsSlice is rows start to end of the rows frame: each row depends on its
// index only, so the slices joined in order are the frame QueryData answers.
func rowsSlice(q backend.DataQuery, start, end int) *data.Frame {
	n := end - start
	times := make([]time.Time, n)
	values := make([]float64, n)
	labels := make([]string, n)
	for k := 0; k < n; k++ {
		i := start + k
		times[k] = q.TimeRange.From.Add(time.Duration(i) * time.Millisecond)
		values[k] = float64(i) * 0.5
		labels[k] = rowLabels[i%len(rowLabels)]
	}
	return data.NewFrame("rows",
		data.NewField("time", nil, times),
		data.NewField("value", nil, values),
		data.NewField("label", nil, labels),
	)
}
