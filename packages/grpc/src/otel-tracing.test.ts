import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createLogger,
  DownstreamError,
  definePlugin,
  HealthStatus,
  observeDownstreamRequest,
} from "@gfsdk/core";
import { createGrpcPluginClient } from "@gfsdk/testing";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";
import { Counter, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcServer } from "./grpc-server.js";
import { createPluginMetrics } from "./plugin-metrics.js";
import { startTracing } from "./start-tracing.js";
import { createUnixSocketPath } from "./unix-socket-path.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const secret = "s3cr3t-api-key-7781";
const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const parentSpanId = "00f067aa0ba902b7";
const encoder = new TextEncoder();

/** A downstream HTTP server that records the headers it received. */
async function downstream(): Promise<{ url: string; received: IncomingHttpHeaders[] }> {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "text/plain" }).end("pong");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** fetch observed as an HTTP client middleware does it. */
async function observedFetch(url: string): Promise<Response> {
  const request = new Request(url);
  const observation = observeDownstreamRequest(request);
  try {
    const response = await fetch(request);
    observation.end(response);
    const body = await response.arrayBuffer();
    observation.responseSize(body.byteLength);
    return response;
  } catch (error) {
    observation.end(error);
    throw error;
  }
}

/** Keeps what was exported, also after shutdown (InMemorySpanExporter forgets its spans then). */
function createRecordingExporter(): SpanExporter & { getFinishedSpans(): ReadableSpan[] } {
  const spans: ReadableSpan[] = [];
  return {
    export(batch, done) {
      spans.push(...batch);
      done({ code: 0 });
    },
    shutdown: async () => {},
    getFinishedSpans: () => spans,
  };
}

async function start(env: Record<string, string>) {
  const exporter = createRecordingExporter();
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(l) });
  const tracing = await startTracing({
    env,
    logger,
    pluginId: "gfsdk-test-datasource",
    version: "1.2.3",
    exporter,
  });
  expect(tracing).toBeDefined();
  cleanups.push(() => tracing?.shutdown());
  const db = await downstream();
  const registry = new Registry();
  const own = new Counter({ name: "my_plugin_cache_hits_total", help: "cache hits", registers: [registry] });
  const plugin = definePlugin({
    checkHealth: async (ctx) => {
      ctx.logger.info("checking", { settings: ctx.pluginContext, secure: ctx.secureJsonData });
      own.inc();
      // The plugin's own span, from the global API (the Go SDK's tracing.DefaultTracer()).
      trace.getTracer("author").startSpan("author: build the client").end();
      await observedFetch(`${db.url}/ping`);
      await observedFetch(`${db.url}/missing`);
      if ((ctx.jsonData as { fail?: boolean }).fail)
        throw new DownstreamError(`the db refused key ${secret}`);
      return { status: HealthStatus.OK, message: "ok" };
    },
  });
  const server = await createGrpcServer(plugin, {
    listen: { network: "unix", path: await createUnixSocketPath() },
    logger,
    tracer: tracing?.tracer,
    metrics: createPluginMetrics(registry),
  });
  cleanups.push(() => server.shutdown());
  const client = createGrpcPluginClient(server.address);
  cleanups.push(() => client.close());
  const pluginContext = (jsonData: object) => ({
    pluginId: "gfsdk-test-datasource",
    orgId: 7n,
    user: { login: "admin", name: "Ada Admin" },
    dataSourceInstanceSettings: {
      uid: "ds-uid-1",
      name: "My DS",
      jsonData: encoder.encode(JSON.stringify(jsonData)),
      decryptedSecureJsonData: { apiKey: secret },
    },
  });
  return { exporter, lines, tracing: tracing!, db, registry, client, pluginContext };
}

const byName = (spans: ReadableSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found.length, `spans named ${name}`).toBeGreaterThan(0);
  return found;
};

describe("startTracing", () => {
  it("is off, loading nothing, without GF_INSTANCE_OTLP_ADDRESS", async () => {
    expect(await startTracing({ env: {}, logger: createLogger({ write: () => {} }) })).toBeUndefined();
  });

  it("logs an invalid configuration and serves without tracing", async () => {
    const lines: string[] = [];
    const tracing = await startTracing({
      env: { GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317", GF_INSTANCE_OTLP_PROPAGATION: "b3" },
      logger: createLogger({ write: (l) => lines.push(l) }),
    });
    expect(tracing).toBeUndefined();
    expect(JSON.parse(lines[0]!)).toMatchObject({
      "@level": "error",
      "@message": "Tracing not enabled: invalid tracing configuration",
    });
  });

  it("traces a call under Grafana's traceparent: server span, sdk span, downstream HTTP child spans", async () => {
    const t = await start({
      GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
      GF_INSTANCE_OTLP_SAMPLER_PARAM: "1.000000",
    });
    const health = await t.client.diagnostics.checkHealth(
      { pluginContext: t.pluginContext({}) },
      { headers: { traceparent: `00-${traceId}-${parentSpanId}-01`, tracestate: "grafana=x" } },
    );
    expect(health.status).toBe(HealthStatus.OK);
    await t.tracing.shutdown();
    const spans = t.exporter.getFinishedSpans();
    const [server] = byName(spans, "pluginv2.Diagnostics/CheckHealth");
    expect(server!.kind).toBe(SpanKind.SERVER);
    expect(server!.spanContext().traceId).toBe(traceId);
    expect(server!.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(server!.attributes).toMatchObject({
      "rpc.system": "grpc",
      "rpc.service": "pluginv2.Diagnostics",
      "rpc.method": "CheckHealth",
      "rpc.grpc.status_code": 0,
    });
    expect(server!.resource.attributes).toMatchObject({
      "service.name": "gfsdk-test-datasource",
      "service.version": "1.2.3",
    });
    const [sdk] = byName(spans, "sdk.checkHealth");
    expect(sdk!.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    expect(sdk!.attributes).toEqual({
      plugin_id: "gfsdk-test-datasource",
      org_id: 7,
      datasource_name: "My DS",
      datasource_uid: "ds-uid-1",
      user: "Ada Admin",
      request_status: "ok",
      status_source: "",
    });
    const [author] = byName(spans, "author: build the client");
    expect(author!.parentSpanContext?.spanId).toBe(sdk!.spanContext().spanId);
    const http = byName(spans, "HTTP Outgoing Request");
    expect(http).toHaveLength(2);
    for (const span of http) {
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.spanContext().traceId).toBe(traceId);
      expect(span.parentSpanContext?.spanId).toBe(sdk!.spanContext().spanId);
    }
    expect(
      http.map((s) => [s.attributes["http.url"], s.attributes["http.status_code"], s.status.code]),
    ).toEqual([
      [`${t.db.url}/ping`, 200, SpanStatusCode.UNSET],
      [`${t.db.url}/missing`, 404, SpanStatusCode.ERROR],
    ]);
    expect(http[0]!.attributes).toMatchObject({
      "http.method": "GET",
      datasource_type: "gfsdk-test-datasource",
    });
    // The downstream server got the HTTP span's own context: the next hop joins the trace there.
    expect(t.db.received.map((h) => h.traceparent)).toEqual(
      http.map((s) => `00-${traceId}-${s.spanContext().spanId}-01`),
    );
    expect(t.db.received[0]!.tracestate).toBe("grafana=x");
    // Every line of the call carries the trace id, with the call's attributes.
    const callLines = t.lines.map((l) => JSON.parse(l)).filter((r) => r.endpoint === "checkHealth");
    expect(callLines.map((r) => r["@message"])).toEqual(["checking", "Plugin Request Completed"]);
    for (const r of callLines) {
      expect(r).toMatchObject({
        traceId,
        pluginId: "gfsdk-test-datasource",
        dsUid: "ds-uid-1",
        dsName: "My DS",
      });
    }
  });

  it("counts downstream requests, serves the plugin's own metrics, and keeps secrets out of logs and spans", async () => {
    const t = await start({ GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317" });
    const health = await t.client.diagnostics.checkHealth({ pluginContext: t.pluginContext({ fail: true }) });
    expect(health.status).toBe(HealthStatus.ERROR);
    expect(health.message).toBe("the db refused key [redacted]");
    const metrics = await t.registry.metrics();
    const labels =
      'datasource_type="gfsdktestdatasource",secure_socks_ds_proxy_enabled="false",endpoint="checkHealth"';
    expect(metrics).toContain(`plugins_datasource_request_total{${labels},code="200",method="get"} 1`);
    expect(metrics).toContain(`plugins_datasource_request_total{${labels},code="404",method="get"} 1`);
    expect(metrics).toContain(
      `plugins_datasource_request_duration_seconds_count{${labels},code="200",method="get"} 1`,
    );
    expect(metrics).toContain(`plugins_datasource_response_size_bytes_sum{${labels}} 8`);
    expect(metrics).toContain(`plugins_datasource_request_in_flight{${labels}} 0`);
    expect(metrics).toMatch(/^my_plugin_cache_hits_total 1$/m);
    expect(metrics).toContain(
      'grafana_plugin_request_total{endpoint="checkHealth",status="error",status_source="downstream"} 1',
    );
    await t.tracing.shutdown();
    const spans = t.exporter.getFinishedSpans();
    const [sdk] = byName(spans, "sdk.checkHealth");
    expect(sdk!.status).toEqual({ code: SpanStatusCode.ERROR, message: "the db refused key [redacted]" });
    expect(sdk!.attributes).toMatchObject({ request_status: "error", status_source: "downstream" });
    // The author logged the whole plugin context and the secrets: none of it reached a line or a span.
    expect(t.lines.some((l) => l.includes('"settings"'))).toBe(true);
    expect(t.lines.join("\n")).not.toContain(secret);
    expect(JSON.stringify(spans.map((s) => [s.attributes, s.events, s.status]))).not.toContain(secret);
  });

  it("takes the parent from uber-trace-id with the jaeger propagator", async () => {
    const t = await start({
      GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
      GF_INSTANCE_OTLP_PROPAGATION: "jaeger",
    });
    await t.client.diagnostics.checkHealth(
      { pluginContext: t.pluginContext({}) },
      { headers: { "uber-trace-id": `${traceId}:${parentSpanId}:0:1` } },
    );
    await t.tracing.shutdown();
    const [server] = byName(t.exporter.getFinishedSpans(), "pluginv2.Diagnostics/CheckHealth");
    expect(server!.spanContext().traceId).toBe(traceId);
    expect(server!.parentSpanContext?.spanId).toBe(parentSpanId);
    expect(t.db.received[0]!["uber-trace-id"]).toMatch(new RegExp(`^${traceId}:[0-9a-f]{16}:0:0?1$`));
  });

  it("records no span under a const 0 sampler, but logs keep the trace id", async () => {
    const t = await start({
      GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
      GF_INSTANCE_OTLP_SAMPLER_PARAM: "0",
    });
    await t.client.diagnostics.checkHealth({ pluginContext: t.pluginContext({}) });
    await t.tracing.shutdown();
    expect(t.exporter.getFinishedSpans()).toEqual([]);
    const completed = t.lines
      .map((l) => JSON.parse(l))
      .find((r) => r["@message"] === "Plugin Request Completed");
    expect(completed.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("startTracing samplers", () => {
  const call = (t: Awaited<ReturnType<typeof start>>) =>
    t.client.diagnostics.checkHealth({ pluginContext: t.pluginContext({}) });
  const servers = (t: Awaited<ReturnType<typeof start>>) =>
    t.exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);

  it("rateLimiting samples the configured number of root spans a second", async () => {
    const t = await start({
      GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
      GF_INSTANCE_OTLP_SAMPLER_TYPE: "rateLimiting",
      GF_INSTANCE_OTLP_SAMPLER_PARAM: "2.000000",
    });
    for (let i = 0; i < 5; i++) await call(t);
    await t.tracing.shutdown();
    // Five calls well within a second: the burst of two is sampled (their server spans), no more.
    expect(servers(t)).toHaveLength(2);
  });

  it("probabilistic 0 samples no root span, but a sampled parent's child still is (ParentBased)", async () => {
    const t = await start({
      GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
      GF_INSTANCE_OTLP_SAMPLER_TYPE: "probabilistic",
      GF_INSTANCE_OTLP_SAMPLER_PARAM: "0.000000",
    });
    await call(t);
    await t.client.diagnostics.checkHealth(
      { pluginContext: t.pluginContext({}) },
      { headers: { traceparent: `00-${traceId}-${parentSpanId}-01` } },
    );
    await t.tracing.shutdown();
    expect(servers(t).map((s) => s.spanContext().traceId)).toEqual([traceId]);
  });

  it("remote starts with its initial ratio (the param) before the sampling server answers", async () => {
    const t = await start({
      GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
      GF_INSTANCE_OTLP_SAMPLER_TYPE: "remote",
      GF_INSTANCE_OTLP_SAMPLER_PARAM: "1.000000",
      GF_INSTANCE_OTLP_SAMPLER_REMOTE_URL: "http://127.0.0.1:1/sampling",
    });
    await call(t);
    await t.tracing.shutdown();
    expect(servers(t)).toHaveLength(1);
  });
});
