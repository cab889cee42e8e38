import type { CompletedRequest } from "@gfsdk/core/protocol";
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry, register } from "prom-client";

/** Request metrics of a plugin and the registry CollectMetrics serves. */
export interface PluginMetrics {
  /** Counts and times one finished call. */
  onRequestCompleted(request: CompletedRequest): void;
  /** Sets the number of built, not yet disposed plugin instances. */
  onActiveInstancesChange(active: number): void;
  /** The registry in Prometheus text format, as CollectMetrics returns it. */
  collect(): Promise<string>;
}

const registered = new WeakSet<Registry>();

/**
 * Metrics for Grafana's `/metrics/plugins/<id>`, on a prom-client registry (default: prom-client's
 * global one, so metrics a plugin registers there are served too): Node.js process metrics, and
 * `grafana_plugin_request_total` / `grafana_plugin_request_duration_seconds` labelled with
 * `endpoint`, `status` and `status_source`, and the `plugins_active_instances` gauge, as the Go SDK
 * names them.
 */
export function createPluginMetrics(registry: Registry = register): PluginMetrics {
  const labelNames = ["endpoint", "status", "status_source"] as const;
  let total = registry.getSingleMetric("grafana_plugin_request_total") as
    | Counter<(typeof labelNames)[number]>
    | undefined;
  let duration = registry.getSingleMetric("grafana_plugin_request_duration_seconds") as
    | Histogram<(typeof labelNames)[number]>
    | undefined;
  if (!registered.has(registry)) {
    registered.add(registry);
    collectDefaultMetrics({ register: registry });
  }
  total ??= new Counter({
    name: "grafana_plugin_request_total",
    help: "The total amount of received requests",
    labelNames,
    registers: [registry],
  });
  duration ??= new Histogram({
    name: "grafana_plugin_request_duration_seconds",
    help: "Plugin request duration in seconds",
    labelNames,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
    registers: [registry],
  });
  const activeInstances =
    (registry.getSingleMetric("plugins_active_instances") as Gauge | undefined) ??
    new Gauge({
      name: "plugins_active_instances",
      help: "The number of active plugin instances",
      registers: [registry],
    });
  const counter = total;
  const histogram = duration;
  return {
    onRequestCompleted({ endpoint, status, source, durationMs }) {
      const labels = { endpoint, status, status_source: source || "plugin" };
      counter.inc(labels);
      histogram.observe(labels, durationMs / 1000);
    },
    onActiveInstancesChange: (active) => activeInstances.set(active),
    collect: () => registry.metrics(),
  };
}
