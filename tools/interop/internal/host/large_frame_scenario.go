package host

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// tenMillion is the largest rows query of the testdata contract; its Arrow
// body (about 274 MB) passes the 256 MiB block limit of Go's Arrow reader.
const tenMillion = 10_000_000

// scRowsTenMillion asks for 10M rows in Arrow and decodes the answer with the
// Go SDK, which refuses a record batch body over 256 MiB: the plugin must
// write several record batches in one file, appended into one frame.
func scRowsTenMillion(ctx context.Context, h *Harness) error {
	from, to := timeRange()
	req := QueryRequest(pluginv2.DataFrameFormat_ARROW, Query("A", "rows", map[string]int{"rows": tenMillion}, 100, from, to))
	frames, res, err := query(ctx, h.Session, req, "A")
	if err != nil {
		return err
	}
	if err := expectOK(res, req.Format); err != nil {
		return err
	}
	f, err := rowsFrame(frames, tenMillion)
	if err != nil {
		return err
	}
	times := fieldByName(f, "time")
	first, last := times.At(0).(time.Time), times.At(tenMillion-1).(time.Time)
	if last.Before(first) {
		return fmt.Errorf("times run backwards across record batches: first %s, last %s", first, last)
	}
	return nil
}
