// Package soak runs a long mixed load through a Grafana-like go-plugin host
// against the testdata plugin executable: every RPC of the contract from
// many concurrent workers, settings updates racing the calls, cancelled
// queries and streams opened and closed early. Every answer is classified
// as the contract's (expected) or not; the plugin process's RSS is sampled,
// and its file descriptors, sockets, Node.js handles and active instances
// are counted before and after the load.
package soak

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/gfsdk/gfsdk/tools/interop/internal/host"
)

// Options configure a soak run.
type Options struct {
	PluginPath  string
	Duration    time.Duration
	Concurrency int
	// Warmup is the first part of the load whose peak RSS is the baseline
	// that later growth is measured against.
	Warmup time.Duration
	// SampleEvery is the RSS sampling period.
	SampleEvery time.Duration
	// SettingsEvery is how often one data source's settings change.
	SettingsEvery time.Duration
	// DataSources is the number of data source UIDs the calls spread over.
	DataSources int
	// Settle is the longest wait after the load for fds and handles to
	// come back within bounds before they are counted.
	Settle time.Duration
	// CallTimeout bounds every call the soak does not cancel on purpose;
	// reaching it is an unexpected error.
	CallTimeout time.Duration
	Seed        uint64
	Bounds      Bounds
	Logger      hclog.Logger
	// Progress, when set, gets one line per RSS sample.
	Progress io.Writer
	// PluginLog, when set, gets every raw stderr line of the plugin.
	PluginLog io.Writer
	// PluginEnv is added to the plugin's environment (for diagnosis, e.g.
	// NODE_DEBUG=http2).
	PluginEnv []string
	// Only, when not empty, restricts the mix to these operations.
	Only map[string]bool
}

// Bounds are the limits a run must hold.
type Bounds struct {
	// MaxRSSGrowthMB bounds the peak RSS after warm-up minus the peak
	// during warm-up, and the RSS after the load minus the warm-up peak.
	MaxRSSGrowthMB float64 `json:"maxRssGrowthMB"`
	// FDSlack is how many more fds (and sockets) the plugin may hold at
	// the end than at the start.
	FDSlack int `json:"fdSlack"`
	// HandleSlack is how many more Node.js active handles and resources
	// the plugin may report at the end than at the start.
	HandleSlack int `json:"handleSlack"`
}

// Summary is the JSON printed by the soak command.
type Summary struct {
	OK                bool                 `json:"ok"`
	Plugin            string               `json:"plugin"`
	Pid               int                  `json:"pid"`
	DurationS         float64              `json:"durationS"`
	Concurrency       int                  `json:"concurrency"`
	Seed              uint64               `json:"seed"`
	DataSourceUIDs    int                  `json:"dataSourceUids"`
	SettingsUpdates   int64                `json:"settingsUpdates"`
	Calls             int64                `json:"calls"`
	CallsPerSec       float64              `json:"callsPerSec"`
	Expected          int64                `json:"expected"`
	Unexpected        int64                `json:"unexpected"`
	FirstUnexpected   []string             `json:"firstUnexpected"`
	RPCs              map[string]*RPCStats `json:"rpcs"`
	Ops               map[string]*RPCStats `json:"ops"`
	RSS               RSSSummary           `json:"rss"`
	FDs               Counts[FDs]          `json:"fds"`
	Handles           *Counts[NodeHandles] `json:"nodeHandles"`
	Instances         Instances            `json:"instances"`
	PluginRequestsSum map[string]float64   `json:"pluginRequestTotal"`
	PluginLog         LogSummary           `json:"pluginLog"`
	Stop              Stop                 `json:"stop"`
	Bounds            Bounds               `json:"bounds"`
	Violations        []string             `json:"violations"`
}

// RPCStats counts the calls of one RPC (or one operation of the mix).
// Expected includes Cancelled (cancellations the soak caused) and
// Unimplemented (an RPC the contract lets the plugin not serve).
type RPCStats struct {
	Calls         int64 `json:"calls"`
	Expected      int64 `json:"expected"`
	Cancelled     int64 `json:"cancelled"`
	Unimplemented int64 `json:"unimplemented"`
	Unexpected    int64 `json:"unexpected"`
}

// RSSSummary describes the plugin's resident set over the run, in MB.
type RSSSummary struct {
	StartMB             float64      `json:"startMB"`
	WarmupPeakMB        float64      `json:"warmupPeakMB"`
	PeakAfterWarmupMB   float64      `json:"peakAfterWarmupMB"`
	EndMB               float64      `json:"endMB"`
	GrowthAfterWarmupMB float64      `json:"growthAfterWarmupMB"`
	EndMinusWarmupMB    float64      `json:"endMinusWarmupMB"`
	HWMMB               float64      `json:"hwmMB"`
	Curve               [][2]float64 `json:"curve"`
}

// FDs are the open file descriptors of the plugin and the sockets among them.
type FDs struct {
	Open    int `json:"open"`
	Sockets int `json:"sockets"`
}

// NodeHandles are prom-client's nodejs_active_handles_total and
// nodejs_active_resources_total from CollectMetrics.
type NodeHandles struct {
	Handles   float64 `json:"handles"`
	Resources float64 `json:"resources"`
}

// Counts is a value before and after the load.
type Counts[T any] struct {
	Start T `json:"start"`
	End   T `json:"end"`
}

// Instances is what plugins_active_instances says, when the plugin has it.
type Instances struct {
	Available bool    `json:"available"`
	Start     float64 `json:"start"`
	Max       float64 `json:"max"`
	End       float64 `json:"end"`
	// Bound is the number of instance keys the soak used: its data source
	// UIDs plus one for the calls without instance settings.
	Bound int    `json:"bound"`
	Note  string `json:"note,omitempty"`
}

// LogSummary counts the plugin's stderr lines.
type LogSummary struct {
	Lines            int64          `json:"lines"`
	Levels           map[string]int `json:"levels"`
	FirstWarnOrError []string       `json:"firstWarnOrError"`
}

// Stop is how the plugin ended after go-plugin's Kill.
type Stop struct {
	Ms       int64 `json:"ms"`
	ExitCode int   `json:"exitCode"`
}

// outcome classifies one call.
type outcome int

const (
	expected outcome = iota
	cancelled
	unimplemented
	unexpected
)

type result struct {
	outcome outcome
	msg     string
}

func ok() result                    { return result{outcome: expected} }
func bad(f string, a ...any) result { return result{outcome: unexpected, msg: fmt.Sprintf(f, a...)} }
func fromErr(err error) result      { return result{outcome: unexpected, msg: err.Error()} }
func mb(kb int64) float64           { return math.Round(float64(kb)/1024*10) / 10 }
func round1(v float64) float64      { return math.Round(v*10) / 10 }

func (c *RPCStats) add(r result) {
	c.Calls++
	switch r.outcome {
	case unexpected:
		c.Unexpected++
		return
	case cancelled:
		c.Cancelled++
	case unimplemented:
		c.Unimplemented++
	}
	c.Expected++
}

// tally collects results from all workers.
type tally struct {
	mu    sync.Mutex
	rpcs  map[string]*RPCStats
	ops   map[string]*RPCStats
	first []string
	perOp map[string]int
}

func (t *tally) record(op operation, r result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range []struct {
		stats map[string]*RPCStats
		key   string
	}{{t.rpcs, op.rpc}, {t.ops, op.name}} {
		s := m.stats[m.key]
		if s == nil {
			s = &RPCStats{}
			m.stats[m.key] = s
		}
		s.add(r)
	}
	// The first few of each operation, so that one frequent failure does
	// not hide the others.
	if r.outcome == unexpected && len(t.first) < 20 && t.perOp[op.name] < 3 {
		t.perOp[op.name]++
		t.first = append(t.first, op.name+": "+truncate(r.msg, 500))
	}
}

// Run launches the plugin, runs the load and returns the summary. An error
// means the soak could not run at all (launch failed).
func Run(o Options) (*Summary, error) {
	if o.Concurrency < 1 {
		o.Concurrency = 1
	}
	if o.DataSources < 1 {
		o.DataSources = 1
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	ops := operations()
	if len(o.Only) > 0 {
		var kept []operation
		known := map[string]bool{}
		for _, op := range ops {
			known[op.name] = true
			if o.Only[op.name] {
				kept = append(kept, op)
			}
		}
		for name := range o.Only {
			if !known[name] {
				return nil, fmt.Errorf("no operation %q (see OperationNames)", name)
			}
		}
		ops = kept
	}
	s, err := launch(o.PluginPath, o.Logger, time.Minute, o.PluginLog, o.PluginEnv)
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			s.client.Kill()
		}
	}()

	sum := &Summary{
		Plugin: o.PluginPath, Pid: s.pid, Concurrency: o.Concurrency, Seed: o.Seed,
		DataSourceUIDs: o.DataSources, Bounds: o.Bounds,
		FirstUnexpected: []string{}, Violations: []string{},
	}
	d := &driver{s: s, settings: newSettings(o.DataSources), callTimeout: o.CallTimeout}
	t := &tally{rpcs: map[string]*RPCStats{}, ops: map[string]*RPCStats{}, perOp: map[string]int{}}

	// One pass of every operation first, so that lazily opened fds and
	// handles exist before the start counts.
	rng := rand.New(rand.NewPCG(o.Seed, 0))
	for _, op := range ops {
		t.record(op, op.run(context.Background(), d, rng))
	}
	rssStart := rssKB(s.pid)
	fdStart := fdCounts(s.pid)
	mStart, mErr := d.metrics(context.Background())
	if mErr != nil {
		return nil, fmt.Errorf("CollectMetrics before the load: %w", mErr)
	}

	// Load.
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), o.Duration)
	defer cancel()
	var wg sync.WaitGroup
	var updates atomic.Int64
	wg.Add(1)
	go func() { // settings updates
		defer wg.Done()
		r := rand.New(rand.NewPCG(o.Seed, 1))
		tick := time.NewTicker(o.SettingsEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				d.settings.update(r)
				updates.Add(1)
			}
		}
	}()
	curve := [][2]float64{{0, mb(rssStart)}}
	var warmPeak, laterPeak int64 = rssStart, 0
	samplerDone := make(chan struct{})
	go func() {
		defer close(samplerDone)
		tick := time.NewTicker(o.SampleEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				kb := rssKB(s.pid)
				el := time.Since(start)
				curve = append(curve, [2]float64{round1(el.Seconds()), mb(kb)})
				if el <= o.Warmup {
					warmPeak = max(warmPeak, kb)
				} else {
					laterPeak = max(laterPeak, kb)
				}
				if o.Progress != nil {
					fmt.Fprintf(o.Progress, "soak: %5.0fs rss %6.1f MB, %d unexpected\n", el.Seconds(), mb(kb), d.unexpected.Load())
				}
			}
		}
	}()
	weights := cumulative(ops)
	for w := 0; w < o.Concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(o.Seed, uint64(w)+2))
			for ctx.Err() == nil {
				op := pick(ops, weights, r)
				res := op.run(context.Background(), d, r)
				if res.outcome == unexpected {
					d.unexpected.Add(1)
				}
				t.record(op, res)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)
	<-samplerDone

	// Settle: wait (bounded) for what the load opened to close, then count.
	deadline := time.Now().Add(o.Settle)
	var fdEnd FDs
	var mEnd *pluginMetrics
	for {
		fdEnd = fdCounts(s.pid)
		mEnd, mErr = d.metrics(context.Background())
		settled := mErr == nil && fdEnd.Open <= fdStart.Open+o.Bounds.FDSlack &&
			fdEnd.Sockets <= fdStart.Sockets+o.Bounds.FDSlack &&
			(!mEnd.hasHandles || (mEnd.handles <= mStart.handles+float64(o.Bounds.HandleSlack) &&
				mEnd.resources <= mStart.resources+float64(o.Bounds.HandleSlack)))
		if settled || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	rssEnd := rssKB(s.pid)
	_, hwm, _ := host.RSSKB(s.pid)
	curve = append(curve, [2]float64{round1(time.Since(start).Seconds()), mb(rssEnd)})

	sum.DurationS = round1(elapsed.Seconds())
	sum.SettingsUpdates = updates.Load()
	sum.RPCs, sum.Ops = t.rpcs, t.ops
	sum.FirstUnexpected = append(sum.FirstUnexpected, t.first...)
	for _, st := range t.rpcs {
		sum.Calls += st.Calls
		sum.Expected += st.Expected
		sum.Unexpected += st.Unexpected
	}
	sum.CallsPerSec = round1(float64(sum.Calls) / elapsed.Seconds())
	if laterPeak == 0 {
		laterPeak = warmPeak
	}
	sum.RSS = RSSSummary{
		StartMB: mb(rssStart), WarmupPeakMB: mb(warmPeak), PeakAfterWarmupMB: mb(laterPeak), EndMB: mb(rssEnd),
		GrowthAfterWarmupMB: round1(mb(laterPeak) - mb(warmPeak)), EndMinusWarmupMB: round1(mb(rssEnd) - mb(warmPeak)),
		HWMMB: mb(hwm), Curve: curve,
	}
	sum.FDs = Counts[FDs]{Start: fdStart, End: fdEnd}
	if mErr != nil {
		sum.Violations = append(sum.Violations, "CollectMetrics after the load: "+mErr.Error())
		mEnd = &pluginMetrics{}
	}
	if mStart.hasHandles && mEnd.hasHandles {
		sum.Handles = &Counts[NodeHandles]{
			Start: NodeHandles{Handles: mStart.handles, Resources: mStart.resources},
			End:   NodeHandles{Handles: mEnd.handles, Resources: mEnd.resources},
		}
	}
	sum.PluginRequestsSum = mEnd.requests
	sum.Instances = Instances{Bound: o.DataSources + 1}
	if mStart.hasInstances && mEnd.hasInstances {
		sum.Instances.Available = true
		sum.Instances.Start, sum.Instances.End = mStart.instances, mEnd.instances
		sum.Instances.Max = max(mStart.instances, mEnd.instances, d.instanceMax())
		if sum.Instances.Max == 0 {
			sum.Instances.Note = "plugins_active_instances stayed 0: the plugin keeps no instances (no createInstance), so settings updates rebuild only its parsed-settings cache"
		}
	} else {
		sum.Instances.Note = "unavailable: the plugin's metrics have no plugins_active_instances gauge"
	}
	sum.PluginLog = s.log.snapshot()

	b := o.Bounds
	if g := sum.RSS.GrowthAfterWarmupMB; g > b.MaxRSSGrowthMB {
		sum.Violations = append(sum.Violations, fmt.Sprintf("RSS peak grew %.1f MB after warm-up, bound %.1f MB", g, b.MaxRSSGrowthMB))
	}
	if g := sum.RSS.EndMinusWarmupMB; g > b.MaxRSSGrowthMB {
		sum.Violations = append(sum.Violations, fmt.Sprintf("RSS after the load is %.1f MB above the warm-up peak, bound %.1f MB", g, b.MaxRSSGrowthMB))
	}
	if fdEnd.Open < 0 || fdEnd.Open > fdStart.Open+b.FDSlack {
		sum.Violations = append(sum.Violations, fmt.Sprintf("%d fds at the end, %d at the start, slack %d", fdEnd.Open, fdStart.Open, b.FDSlack))
	}
	if fdEnd.Sockets > fdStart.Sockets+b.FDSlack {
		sum.Violations = append(sum.Violations, fmt.Sprintf("%d sockets at the end, %d at the start, slack %d", fdEnd.Sockets, fdStart.Sockets, b.FDSlack))
	}
	if h := sum.Handles; h != nil {
		if h.End.Handles > h.Start.Handles+float64(b.HandleSlack) || h.End.Resources > h.Start.Resources+float64(b.HandleSlack) {
			sum.Violations = append(sum.Violations, fmt.Sprintf("Node.js handles/resources %v/%v at the end, %v/%v at the start, slack %d",
				h.End.Handles, h.End.Resources, h.Start.Handles, h.Start.Resources, b.HandleSlack))
		}
	}
	if in := sum.Instances; in.Available && (in.End > float64(in.Bound) || in.Max > float64(in.Bound)) {
		sum.Violations = append(sum.Violations, fmt.Sprintf("plugins_active_instances %v at the end (max %v), more than the %d instance keys used", in.End, in.Max, in.Bound))
	}

	stopped = true
	sum.Stop = s.stop()
	if sum.Stop.ExitCode != 0 {
		sum.Violations = append(sum.Violations, fmt.Sprintf("plugin exited with status %d after Kill (%d ms), want 0", sum.Stop.ExitCode, sum.Stop.Ms))
	}
	sum.OK = sum.Unexpected == 0 && len(sum.Violations) == 0
	return sum, nil
}

// pluginMetrics is what the soak reads from CollectMetrics.
type pluginMetrics struct {
	hasInstances bool
	instances    float64
	hasHandles   bool
	handles      float64
	resources    float64
	requests     map[string]float64
}

func parseMetrics(text []byte) (*pluginMetrics, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("not Prometheus text format: %w", err)
	}
	m := &pluginMetrics{requests: map[string]float64{}}
	if f := families["plugins_active_instances"]; f != nil && len(f.GetMetric()) > 0 {
		m.hasInstances = true
		m.instances = f.GetMetric()[0].GetGauge().GetValue()
	}
	h, r := families["nodejs_active_handles_total"], families["nodejs_active_resources_total"]
	if h != nil && r != nil && len(h.GetMetric()) > 0 && len(r.GetMetric()) > 0 {
		m.hasHandles = true
		m.handles = h.GetMetric()[0].GetGauge().GetValue()
		m.resources = r.GetMetric()[0].GetGauge().GetValue()
	}
	for _, mm := range families["grafana_plugin_request_total"].GetMetric() {
		for _, l := range mm.GetLabel() {
			if l.GetName() == "endpoint" {
				m.requests[l.GetValue()] += mm.GetCounter().GetValue()
			}
		}
	}
	return m, nil
}

// metrics calls CollectMetrics and parses it (outside the tally).
func (d *driver) metrics(ctx context.Context) (*pluginMetrics, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := d.s.diagnostics.CollectMetrics(cctx, &pluginv2.CollectMetricsRequest{PluginContext: d.pluginOnlyContext()})
	if err != nil {
		return nil, err
	}
	return parseMetrics(res.GetMetrics().GetPrometheus())
}

// OperationNames lists the operations of the mix.
func OperationNames() []string {
	var names []string
	for _, op := range operations() {
		names = append(names, op.name)
	}
	return names
}

func cumulative(ops []operation) []int {
	c := make([]int, len(ops))
	total := 0
	for i, op := range ops {
		total += op.weight
		c[i] = total
	}
	return c
}

func pick(ops []operation, cum []int, r *rand.Rand) operation {
	n := r.IntN(cum[len(cum)-1])
	return ops[sort.SearchInts(cum, n+1)]
}
