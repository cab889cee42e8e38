import type { CompletedRequest, DownstreamObserver } from "@gfsdk/core/protocol";
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry, register } from "prom-client";

/** Request metrics of a plugin and the registry CollectMetrics serves. */
export interface PluginMetrics {
  /** Counts and times one finished call. */
  onRequestCompleted(request: CompletedRequest): void;
  /** Sets the number of built, not yet disposed plugin instances. */
  onActiveInstancesChange(active: number): void;
  /**
   * Counts and times each downstream HTTP request of a data source call (requests made through
   * `observeDownstreamRequest`, which `@gfsdk/http-client` calls): the Go SDK's
   * `plugins_datasource_request_total`, `…_request_duration_seconds`, `…_request_in_flight`,
   * `…_response_size_bytes` and `…_response_size`, labelled `datasource_type` (the plugin id,
   * sanitized as a label name), `code`, `method`, `secure_socks_ds_proxy_enabled` and `endpoint`.
   * Requests outside a data source call are not counted, as in the Go SDK.
   */
  downstreamObserver: DownstreamObserver;
  /** The registry in Prometheus text format, as CollectMetrics returns it. */
  collect(): Promise<string>;
  /** The registry: register the plugin's own metrics on it to have CollectMetrics serve them. */
  registry: Registry;
}

const kb = 1024;
const mb = kb * kb;
const gb = mb * kb;

/** The Go SDK's `sanitizeLabelName`: letters, `_`, digits but first, spaces as `_`; undefined if nothing is left. */
export function sanitizeLabelName(name: string): string | undefined {
  let out = "";
  for (const [i, c] of [...name].entries()) {
    if (/[a-zA-Z_]/.test(c) || (/[0-9]/.test(c) && i > 0)) out += c;
    else if (c === " ") out += "_";
  }
  return out === "" ? undefined : out;
}

/** A metric already on `registry` under `name`, or the one `create` makes. */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

function createDownstreamObserver(registry: Registry): DownstreamObserver {
  const requestLabels = [
    "datasource_type",
    "code",
    "method",
    "secure_socks_ds_proxy_enabled",
    "endpoint",
  ] as const;
  const sizeLabels = ["datasource_type", "secure_socks_ds_proxy_enabled", "endpoint"] as const;
  const registers = [registry];
  const total = metric(
    registry,
    "plugins_datasource_request_total",
    () =>
      new Counter({
        name: "plugins_datasource_request_total",
        help: "A counter for outgoing requests for an external data source",
        labelNames: requestLabels,
        registers,
      }),
  );
  const duration = metric(
    registry,
    "plugins_datasource_request_duration_seconds",
    () =>
      new Histogram({
        name: "plugins_datasource_request_duration_seconds",
        help: "histogram of durations of outgoing external data source requests sent from Grafana",
        labelNames: requestLabels,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100],
        registers,
      }),
  );
  const sizeHistogram = metric(
    registry,
    "plugins_datasource_response_size_bytes",
    () =>
      new Histogram({
        name: "plugins_datasource_response_size_bytes",
        help: "histogram of external data source response sizes returned to Grafana",
        labelNames: sizeLabels,
        buckets: [128, 256, 512, kb, 2 * kb, 4 * kb, 8 * kb, 16 * kb, 32 * kb, 64 * kb, 128 * kb, 256 * kb]
          .concat([512 * kb, mb, 2 * mb, 4 * mb, 8 * mb, 16 * mb, 32 * mb, 64 * mb, 128 * mb, 256 * mb])
          .concat([512 * mb, gb, 2 * gb, 4 * gb, 8 * gb]),
        registers,
      }),
  );
  const sizeGauge = metric(
    registry,
    "plugins_datasource_response_size",
    () =>
      new Gauge({
        name: "plugins_datasource_response_size",
        help: "gauge of data source response sizes returned to Grafana in bytes",
        labelNames: sizeLabels,
        registers,
      }),
  );
  const inFlight = metric(
    registry,
    "plugins_datasource_request_in_flight",
    () =>
      new Gauge({
        name: "plugins_datasource_request_in_flight",
        help: "A gauge of outgoing external data source requests currently being sent by Grafana",
        labelNames: sizeLabels,
        registers,
      }),
  );
  const none = { end() {}, responseSize() {} };
  return (request, call) => {
    const pluginContext = call.pluginContext;
    const ds = pluginContext?.dataSourceInstanceSettings;
    const datasourceType = ds && pluginContext ? sanitizeLabelName(pluginContext.pluginId) : undefined;
    if (!ds || datasourceType === undefined) return none;
    const labels = {
      datasource_type: datasourceType,
      secure_socks_ds_proxy_enabled: String(
        (ds.jsonData as Record<string, unknown>)?.enableSecureSocksProxy === true,
      ),
      endpoint: call.endpoint,
    };
    const started = performance.now();
    inFlight.inc(labels);
    let ended = false;
    return {
      end(outcome) {
        if (ended) return;
        ended = true;
        inFlight.dec(labels);
        // As promhttp's round-tripper instruments: a request that failed has no code and is not counted.
        if (
          typeof outcome !== "object" ||
          outcome === null ||
          typeof (outcome as Response).status !== "number"
        )
          return;
        const requestLabels = {
          ...labels,
          code: String((outcome as Response).status),
          method: request.method.toLowerCase(),
        };
        total.inc(requestLabels);
        duration.observe(requestLabels, (performance.now() - started) / 1000);
      },
      responseSize(bytes) {
        sizeHistogram.observe(labels, bytes);
        sizeGauge.set(labels, bytes);
      },
    };
  };
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
    help: "The total amount of plugin requests",
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
    downstreamObserver: createDownstreamObserver(registry),
    collect: () => registry.metrics(),
    registry,
  };
}
