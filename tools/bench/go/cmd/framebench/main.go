// Command framebench times the Grafana plugin SDK for Go's frame encoders and
// decoders on the benchmark frames and prints the results as JSON. The
// TypeScript bench (tools/bench/src/main.ts) runs it beside its own timings.
//
//	framebench [-quick] [-rows N] [-all-types-rows N] [-dump DIR]
//	framebench -memory encode-arrow|encode-json [-rows N]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// FrameInfo describes one benchmark frame.
type FrameInfo struct {
	Name     string `json:"name"`
	Rows     int    `json:"rows"`
	Fields   int    `json:"fields"`
	RawBytes int64  `json:"rawBytes"`
}

// Result is the timing of one operation on one frame. Bytes is the output
// size of an encoder and the input size of a decoder or copy.
type Result struct {
	Frame string `json:"frame"`
	Op    string `json:"op"`
	Bytes int    `json:"bytes"`
	Timing
}

// Report is what framebench prints without -memory.
type Report struct {
	Runtime string      `json:"runtime"`
	Frames  []FrameInfo `json:"frames"`
	Results []Result    `json:"results"`
}

func main() {
	quick := flag.Bool("quick", false, "fewer and shorter runs")
	rows := flag.Int("rows", 1_000_000, "rows of the rows frame")
	allTypesRows := flag.Int("all-types-rows", 1000, "rows of the all-types frame")
	dump := flag.String("dump", "", "write each frame's Arrow and JSON encodings to this directory")
	memory := flag.String("memory", "", "measure the memory of one encode of the rows frame (encode-arrow or encode-json) and exit")
	flag.Parse()

	if *memory != "" {
		report, err := MeasureMemory(*memory, *rows)
		exitOn(err)
		writeJSON(report)
		return
	}
	plan := FullPlan
	if *quick {
		plan = QuickPlan
	}
	frames := []*data.Frame{RowsFrame(*rows), AllTypesFrame(*allTypesRows)}
	names := []string{"rows", "all-types"}
	report := Report{Runtime: runtime.Version()}
	for i, f := range frames {
		rowCount, err := f.RowLen()
		exitOn(err)
		report.Frames = append(report.Frames, FrameInfo{
			Name: names[i], Rows: rowCount, Fields: len(f.Fields), RawBytes: RawBytes(f),
		})
		results, err := benchFrame(names[i], f, plan, *dump)
		exitOn(err)
		report.Results = append(report.Results, results...)
	}
	writeJSON(report)
}

func benchFrame(name string, f *data.Frame, plan Plan, dump string) ([]Result, error) {
	arrowBytes, err := f.MarshalArrow()
	if err != nil {
		return nil, fmt.Errorf("%s: MarshalArrow: %w", name, err)
	}
	jsonBytes, err := data.FrameToJSON(f, data.IncludeAll)
	if err != nil {
		return nil, fmt.Errorf("%s: FrameToJSON: %w", name, err)
	}
	if _, err := data.UnmarshalArrowFrame(arrowBytes); err != nil {
		return nil, fmt.Errorf("%s: UnmarshalArrowFrame: %w", name, err)
	}
	var check *data.Frame
	if err := json.Unmarshal(jsonBytes, &check); err != nil {
		return nil, fmt.Errorf("%s: json.Unmarshal: %w", name, err)
	}
	if dump != "" {
		if err := os.MkdirAll(dump, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dump, name+".arrow"), arrowBytes, 0o644); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dump, name+".json"), jsonBytes, 0o644); err != nil {
			return nil, err
		}
	}

	var sink []byte
	var frameSink *data.Frame
	results := []Result{
		{name, "encode-arrow", len(arrowBytes), Measure(plan, func() { sink, _ = f.MarshalArrow() })},
		{name, "decode-arrow", len(arrowBytes), Measure(plan, func() { frameSink, _ = data.UnmarshalArrowFrame(arrowBytes) })},
		{name, "encode-json", len(jsonBytes), Measure(plan, func() { sink, _ = data.FrameToJSON(f, data.IncludeAll) })},
		{name, "decode-json", len(jsonBytes), Measure(plan, func() {
			var v *data.Frame
			_ = json.Unmarshal(jsonBytes, &v)
			frameSink = v
		})},
	}
	// The physical limit: copying as many bytes as the Arrow file holds, into
	// a preallocated buffer and into a fresh one.
	dst := make([]byte, len(arrowBytes))
	results = append(results,
		Result{name, "memcpy", len(arrowBytes), Measure(plan, func() { copy(dst, arrowBytes) })},
		Result{name, "alloc-copy", len(arrowBytes), Measure(plan, func() { sink = append([]byte(nil), arrowBytes...) })},
	)
	runtime.KeepAlive(sink)
	runtime.KeepAlive(frameSink)
	return results, nil
}

func writeJSON(v any) {
	enc := json.NewEncoder(os.Stdout)
	exitOn(enc.Encode(v))
}

func exitOn(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "framebench:", err)
		os.Exit(1)
	}
}
