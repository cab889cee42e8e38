import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createPluginMetrics } from "./plugin-metrics.js";

describe("createPluginMetrics", () => {
  it("counts and times calls by endpoint, status and status source, with process metrics", async () => {
    const registry = new Registry();
    const metrics = createPluginMetrics(registry);
    metrics.onRequestCompleted({ endpoint: "queryData", status: "ok", source: "", durationMs: 12 });
    metrics.onRequestCompleted({
      endpoint: "queryData",
      status: "error",
      source: "downstream",
      durationMs: 40,
    });
    metrics.onRequestCompleted({
      endpoint: "queryData",
      status: "error",
      source: "downstream",
      durationMs: 60,
    });
    const text = await metrics.collect();
    expect(text).toContain(
      'grafana_plugin_request_total{endpoint="queryData",status="ok",status_source="plugin"} 1',
    );
    expect(text).toContain(
      'grafana_plugin_request_total{endpoint="queryData",status="error",status_source="downstream"} 2',
    );
    expect(text).toContain(
      'grafana_plugin_request_duration_seconds_count{endpoint="queryData",status="error",status_source="downstream"} 2',
    );
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
  });

  it("serves the active instances gauge under the Go SDK's name", async () => {
    const metrics = createPluginMetrics(new Registry());
    metrics.onActiveInstancesChange(3);
    metrics.onActiveInstancesChange(2);
    expect(await metrics.collect()).toMatch(/^plugins_active_instances 2$/m);
  });

  it("reuses the metrics already on a registry", async () => {
    const registry = new Registry();
    createPluginMetrics(registry).onRequestCompleted({
      endpoint: "checkHealth",
      status: "ok",
      source: "",
      durationMs: 1,
    });
    createPluginMetrics(registry).onRequestCompleted({
      endpoint: "checkHealth",
      status: "ok",
      source: "",
      durationMs: 1,
    });
    expect(await registry.metrics()).toContain(
      'grafana_plugin_request_total{endpoint="checkHealth",status="ok",status_source="plugin"} 2',
    );
  });
});
