package host

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// requestTotals parses CollectMetrics' answer with Prometheus's own text
// parser and sums grafana_plugin_request_total per endpoint, over every
// status and status_source.
func requestTotals(ctx context.Context, h *Harness) (map[string]float64, error) {
	res, err := h.Session.Diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{PluginContext: DefaultContext()})
	if err != nil {
		return nil, fmt.Errorf("CollectMetrics: %w", err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(res.GetMetrics().GetPrometheus()))
	if err != nil {
		return nil, fmt.Errorf("CollectMetrics is not Prometheus text format: %w", err)
	}
	// Absent before the first counted call: every endpoint is at zero then.
	totals := map[string]float64{}
	for _, m := range families["grafana_plugin_request_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "endpoint" {
				totals[l.GetValue()] += m.GetCounter().GetValue()
			}
		}
	}
	return totals, nil
}

// scMetricsCountEveryCall makes calls that succeed, fail in the handler and
// fail before it (settings that are not JSON), and checks that
// grafana_plugin_request_total grew by exactly the number of calls made.
func scMetricsCountEveryCall(ctx context.Context, h *Harness) error {
	before, err := requestTotals(ctx, h)
	if err != nil {
		return err
	}
	unreadable := PluginContext(DataSource(1, "interop-ds-unreadable", `{not json`))
	now := time.Now()
	calls := map[string]float64{"checkHealth": 3, "queryData": 3}
	if _, err := h.Session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: DefaultContext()}); err != nil {
		return fmt.Errorf("CheckHealth: %w", err)
	}
	failing := PluginContext(DataSource(1, "interop-ds-fail", `{"fail":true}`))
	if _, err := h.Session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: failing}); err != nil {
		return fmt.Errorf("CheckHealth (fail): %w", err)
	}
	// Grafana accepts either an ERROR health result or an RPC error here; both must be counted.
	_, _ = h.Session.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: unreadable})
	queries := []*pluginv2.DataQuery{Query("A", "random_walk", map[string]int{"seed": 1}, 10, now.Add(-time.Hour), now)}
	if _, err := h.Session.Data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: DefaultContext(), Queries: queries}); err != nil {
		return fmt.Errorf("QueryData: %w", err)
	}
	bad := []*pluginv2.DataQuery{Query("A", "error", map[string]string{"source": "downstream"}, 10, now.Add(-time.Hour), now)}
	if _, err := h.Session.Data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: DefaultContext(), Queries: bad}); err != nil {
		return fmt.Errorf("QueryData (error query): %w", err)
	}
	_, _ = h.Session.Data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: unreadable, Queries: queries})
	after, err := requestTotals(ctx, h)
	if err != nil {
		return err
	}
	for endpoint, n := range calls {
		if got := after[endpoint] - before[endpoint]; got != n {
			return fmt.Errorf("grafana_plugin_request_total{endpoint=%q} grew by %v for %v calls (before %v, after %v)",
				endpoint, got, n, before[endpoint], after[endpoint])
		}
	}
	return nil
}
