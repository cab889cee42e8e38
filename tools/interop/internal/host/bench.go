package host

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	"google.golang.org/protobuf/proto"
)

// BenchOptions configures a QueryData benchmark.
type BenchOptions struct {
	PluginPath  string
	Query       string // random_walk or rows
	Rows        int    // rows per frame (maxDataPoints for random_walk)
	Concurrency int
	Duration    time.Duration
	Format      pluginv2.DataFrameFormat
	Logger      hclog.Logger
	AutoMTLS    bool // launch with go-plugin's AutoMTLS
}

// BenchResult is the JSON printed by `host --bench`.
type BenchResult struct {
	Plugin           string  `json:"plugin"`
	Query            string  `json:"query"`
	Format           string  `json:"format"`
	Rows             int     `json:"rows"`
	Concurrency      int     `json:"concurrency"`
	DurationMs       float64 `json:"durationMs"`
	Calls            int64   `json:"calls"`
	Errors           int64   `json:"errors"`
	FirstError       string  `json:"firstError,omitempty"`
	CallsPerSec      float64 `json:"callsPerSec"`
	P50Ms            float64 `json:"p50ms"`
	P99Ms            float64 `json:"p99ms"`
	MaxMs            float64 `json:"maxMs"`
	AvgResponseBytes float64 `json:"avgResponseBytes"`
	PluginRssKB      int64   `json:"pluginRssKB"`
	PluginPeakRssKB  int64   `json:"pluginPeakRssKB"`
	HandshakeMs      float64 `json:"handshakeMs"`
	PluginPid        int     `json:"pluginPid"`
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

// Bench launches the plugin, runs QueryData round trips (frames decoded with
// the SDK on every response) from Concurrency workers for Duration, and
// stops the plugin.
func Bench(o BenchOptions) (*BenchResult, error) {
	if o.Query != "random_walk" && o.Query != "rows" {
		return nil, fmt.Errorf("--query must be random_walk or rows, not %q", o.Query)
	}
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	s, err := Launch(o.PluginPath, o.Logger, time.Minute, LaunchOptions{AutoMTLS: o.AutoMTLS})
	if err != nil {
		return nil, err
	}
	defer s.Kill(5 * time.Second)

	to := time.Now().Truncate(time.Millisecond)
	from := to.Add(-24 * time.Hour)
	var q *pluginv2.DataQuery
	if o.Query == "rows" {
		q = Query("A", "rows", map[string]int{"rows": o.Rows}, 100, from, to)
	} else {
		q = Query("A", "random_walk", map[string]int{"seriesCount": 1, "seed": 1}, int64(o.Rows), from, to)
	}
	req := QueryRequest(o.Format, q)

	call := func(ctx context.Context) (int, error) {
		resp, err := s.Data.QueryData(ctx, req)
		if err != nil {
			return 0, err
		}
		res := resp.Responses["A"]
		if res == nil {
			return 0, errors.New("no response for A")
		}
		if res.Error != "" || res.Status != 200 {
			return 0, fmt.Errorf("status %d error %q", res.Status, res.Error)
		}
		frames, err := DecodeFrames(res)
		if err != nil {
			return 0, err
		}
		if len(frames) == 0 {
			return 0, errors.New("no frames")
		}
		return proto.Size(resp), nil
	}

	// Warm up (JIT, caches) outside the measurement.
	for i := 0; i < 3; i++ {
		if _, err := call(context.Background()); err != nil {
			return nil, fmt.Errorf("warm-up call: %w", err)
		}
	}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		bytes     int64
		calls     atomic.Int64
		errCount  atomic.Int64
		firstErr  atomic.Value
		peakRSS   atomic.Int64
	)
	ctx, cancel := context.WithTimeout(context.Background(), o.Duration)
	defer cancel()

	// Sample the plugin's RSS while the load runs.
	samplerDone := make(chan struct{})
	go func() {
		defer close(samplerDone)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if rss, _, err := RSSKB(s.Pid); err == nil && rss > peakRSS.Load() {
				peakRSS.Store(rss)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()

	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, 1024)
			var localBytes int64
			for ctx.Err() == nil {
				t0 := time.Now()
				n, err := call(context.Background())
				if err != nil {
					errCount.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				local = append(local, time.Since(t0))
				localBytes += int64(n)
				calls.Add(1)
			}
			mu.Lock()
			latencies = append(latencies, local...)
			bytes += localBytes
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	<-samplerDone

	r := &BenchResult{
		Plugin:      o.PluginPath,
		Query:       o.Query,
		Format:      o.Format.String(),
		Rows:        o.Rows,
		Concurrency: o.Concurrency,
		DurationMs:  ms(elapsed),
		Calls:       calls.Load(),
		Errors:      errCount.Load(),
		HandshakeMs: ms(s.Handshake),
		PluginPid:   s.Pid,
	}
	if v, ok := firstErr.Load().(string); ok {
		r.FirstError = v
	}
	if rss, hwm, err := RSSKB(s.Pid); err == nil {
		r.PluginRssKB = rss
		r.PluginPeakRssKB = max(hwm, peakRSS.Load())
	}
	if len(latencies) > 0 {
		sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
		pct := func(p float64) time.Duration {
			i := int(math.Ceil(p*float64(len(latencies)))) - 1
			return latencies[max(0, min(i, len(latencies)-1))]
		}
		r.P50Ms = ms(pct(0.50))
		r.P99Ms = ms(pct(0.99))
		r.MaxMs = ms(latencies[len(latencies)-1])
		r.AvgResponseBytes = math.Round(float64(bytes) / float64(len(latencies)))
	}
	r.CallsPerSec = math.Round(float64(r.Calls)/elapsed.Seconds()*10) / 10
	return r, nil
}
