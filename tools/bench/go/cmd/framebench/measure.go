package main

import (
	"math"
	"sort"
	"time"
)

// Plan is the run policy, the same as the TypeScript side's (bench-timing.ts):
// warm up for WarmupRuns runs and at least WarmupTime, then measure at least
// MinRuns runs and at least MinTime, at most MaxRuns runs.
type Plan struct {
	WarmupRuns int
	WarmupTime time.Duration
	MinRuns    int
	MinTime    time.Duration
	MaxRuns    int
}

// FullPlan is the default policy.
var FullPlan = Plan{WarmupRuns: 3, WarmupTime: 300 * time.Millisecond, MinRuns: 9, MinTime: time.Second, MaxRuns: 500}

// QuickPlan is the policy of --quick.
var QuickPlan = Plan{WarmupRuns: 1, WarmupTime: 50 * time.Millisecond, MinRuns: 3, MinTime: 200 * time.Millisecond, MaxRuns: 100}

// Timing is the measured duration of one operation.
type Timing struct {
	Runs     int     `json:"runs"`
	MedianMs float64 `json:"medianMs"`
	MinMs    float64 `json:"minMs"`
}

// Measure runs op under the plan and returns its median and minimum time.
func Measure(p Plan, op func()) Timing {
	start := time.Now()
	for i := 0; i < p.WarmupRuns || time.Since(start) < p.WarmupTime; i++ {
		op()
	}
	var samples []float64
	start = time.Now()
	for len(samples) < p.MinRuns || (time.Since(start) < p.MinTime && len(samples) < p.MaxRuns) {
		t0 := time.Now()
		op()
		samples = append(samples, float64(time.Since(t0).Nanoseconds())/1e6)
	}
	sort.Float64s(samples)
	return Timing{Runs: len(samples), MedianMs: round3(median(samples)), MinMs: round3(samples[0])}
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
