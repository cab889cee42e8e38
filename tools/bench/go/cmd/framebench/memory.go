package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// MemoryReport is the memory one encode of the rows frame takes, measured in
// a process that does nothing else.
type MemoryReport struct {
	Runtime     string `json:"runtime"`
	Op          string `json:"op"`
	Rows        int    `json:"rows"`
	RawBytes    int64  `json:"rawBytes"`
	OutputBytes int    `json:"outputBytes"`
	RssBeforeKB int64  `json:"rssBeforeKB"`
	// PeakRssDelta is the RSS high-water mark during the encode (VmHWM, reset
	// through /proc/self/clear_refs just before) minus the RSS before it.
	PeakRssDelta int64 `json:"peakRssDelta"`
	// TotalAllocDelta is every byte the encode allocated (MemStats.TotalAlloc).
	TotalAllocDelta uint64 `json:"totalAllocDelta"`
	// HeapInuseDelta is the heap in use after the encode, output still alive.
	HeapInuseDelta int64 `json:"heapInuseDelta"`
	// PeakHeapDelta is the largest heap-objects size sampled every 0.5 ms
	// during the encode, minus the size before.
	PeakHeapDelta int64 `json:"peakHeapDelta"`
}

// MeasureMemory encodes the rows frame once (after a warm-up on a small frame)
// and reports the memory it took.
func MeasureMemory(op string, rows int) (*MemoryReport, error) {
	var encode func(*data.Frame) ([]byte, error)
	switch op {
	case "encode-arrow":
		encode = (*data.Frame).MarshalArrow
	case "encode-json":
		encode = func(f *data.Frame) ([]byte, error) { return data.FrameToJSON(f, data.IncludeAll) }
	default:
		return nil, fmt.Errorf("-memory must be encode-arrow or encode-json, not %q", op)
	}
	if _, err := encode(RowsFrame(1000)); err != nil {
		return nil, err
	}
	f := RowsFrame(rows)
	raw := RawBytes(f)

	runtime.GC()
	debug.FreeOSMemory()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return nil, fmt.Errorf("reset the RSS high-water mark: %w", err)
	}
	rss0, _, err := procStatus()
	if err != nil {
		return nil, err
	}

	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	heap0 := int64(sample[0].Value.Uint64())
	var peakHeap atomic.Int64
	peakHeap.Store(heap0)
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := int64(s[0].Value.Uint64()); v > peakHeap.Load() {
				peakHeap.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()

	out, err := encode(f)
	close(stop)
	<-sampled
	if err != nil {
		return nil, err
	}
	runtime.ReadMemStats(&after)
	_, hwm, err := procStatus()
	if err != nil {
		return nil, err
	}
	report := &MemoryReport{
		Runtime:         runtime.Version(),
		Op:              op,
		Rows:            rows,
		RawBytes:        raw,
		OutputBytes:     len(out),
		RssBeforeKB:     rss0,
		PeakRssDelta:    (hwm - rss0) * 1024,
		TotalAllocDelta: after.TotalAlloc - before.TotalAlloc,
		HeapInuseDelta:  int64(after.HeapInuse) - int64(before.HeapInuse),
		PeakHeapDelta:   peakHeap.Load() - heap0,
	}
	runtime.KeepAlive(out)
	runtime.KeepAlive(f)
	return report, nil
}

// procStatus returns VmRSS and VmHWM of this process in KiB.
func procStatus() (rss, hwm int64, err error) {
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0, err
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		key, value, ok := strings.Cut(scanner.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return 0, 0, err
		}
		if key == "VmRSS" {
			rss = kb
		} else {
			hwm = kb
		}
	}
	return rss, hwm, scanner.Err()
}
