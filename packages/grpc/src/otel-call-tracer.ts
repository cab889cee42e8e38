// Loaded by start-tracing.ts only when Grafana turns tracing on: the OpenTelemetry SDK is not
// evaluated by a plugin that does not trace.

import type { CallSpan, CallTracer } from "@gfsdk/core/protocol";
import { credentials } from "@grpc/grpc-js";
import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { JaegerPropagator } from "@opentelemetry/propagator-jaeger";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { JaegerRemoteSampler } from "@opentelemetry/sampler-jaeger-remote";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { RateLimitingSampler } from "./rate-limiting-sampler.js";
import type { TracingConfig } from "./tracing-config.js";

/** Options of {@link createOtelTracing}. */
export interface OtelTracingOptions {
  /** `service.name` of the spans, and the remote sampler's service. Default `grafana-plugin`, as the Go SDK. */
  pluginId?: string;
  /** `service.version`. Default `GF_PLUGIN_VERSION`. */
  version?: string;
  /** Where spans go. Default: OTLP/gRPC without TLS to `config.address`, as the Go SDK. */
  exporter?: SpanExporter;
}

/** OpenTelemetry tracing of a plugin's calls, installed as the process's global tracer provider. */
export interface OtelTracing {
  tracer: CallTracer;
  /** Exports the spans still buffered and stops the exporter. */
  shutdown(): Promise<void>;
}

const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => [...carrier.keys()],
  get: (carrier, key) => carrier.get(key) ?? undefined,
};
const headerSetter: TextMapSetter<Headers> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** The propagators Grafana named, as the Go SDK's `NewTextMapPropagator` builds them. */
function createPropagator(names: TracingConfig["propagators"]): TextMapPropagator {
  if (names.length === 0) {
    return new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    });
  }
  const propagators = names.map((name) =>
    name === "jaeger" ? new JaegerPropagator() : new W3CTraceContextPropagator(),
  );
  return propagators.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}

/** The root sampler of brief 6.2, wrapped in ParentBased by the provider. */
function createSampler(config: TracingConfig, serviceName: string): Sampler {
  switch (config.sampler) {
    case "const":
      return config.samplerParam >= 1 ? new AlwaysOnSampler() : new AlwaysOffSampler();
    case "probabilistic":
      return new TraceIdRatioBasedSampler(config.samplerParam);
    case "rateLimiting":
      return new RateLimitingSampler(config.samplerParam);
    case "remote":
      return new JaegerRemoteSampler({
        // Grafana passes the whole sampling URL (`…/sampling`); this sampler appends `/sampling`.
        endpoint: config.samplerRemoteUrl.replace(/\/sampling\/?$/, ""),
        serviceName,
        poolingInterval: 60_000,
        initialSampler: new TraceIdRatioBasedSampler(config.samplerParam),
      });
  }
}

/** The gRPC status codes otelgrpc marks a server span as failed for. */
const serverErrorCodes = new Set([2, 4, 12, 13, 14, 15]);

/**
 * Traces each call as the Go SDK does: the otelgrpc server span (`pluginv2.Data/QueryData`, kind
 * server, `rpc.*` attributes) whose parent is extracted from the gRPC metadata with the configured
 * propagators, its child `sdk.<endpoint>` span with `plugin_id`, `org_id`, `datasource_name`,
 * `datasource_uid`, `user`, `request_status` and `status_source`, and an `HTTP Outgoing Request`
 * client span for each downstream request, whose trace context is injected into its headers.
 * Installs the provider, propagator and an AsyncLocalStorage context manager globally (the Go
 * SDK's `InitGlobalTracerProvider`), so `trace.getTracer()` in the plugin's own code makes
 * children of the call's span.
 */
export function createOtelTracing(config: TracingConfig, options: OtelTracingOptions = {}): OtelTracing {
  const serviceName = options.pluginId || "grafana-plugin";
  const version = options.version ?? process.env.GF_PLUGIN_VERSION;
  const exporter =
    options.exporter ??
    new OTLPTraceExporter({ url: `http://${config.address}`, credentials: credentials.createInsecure() });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": serviceName,
      ...(version ? { "service.version": version } : {}),
    }),
    sampler: new ParentBasedSampler({ root: createSampler(config, serviceName) }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const propagator = createPropagator(config.propagators);
  propagation.setGlobalPropagator(propagator);
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer("github.com/gfsdk/gfsdk");

  const callTracer: CallTracer = {
    start(call) {
      const parent = propagator.extract(ROOT_CONTEXT, call.requestHeader, headerGetter);
      const rpc = `${call.service}/${call.method}`;
      const server = tracer.startSpan(
        rpc,
        {
          kind: SpanKind.SERVER,
          attributes: {
            "rpc.system": "grpc",
            "rpc.service": call.service,
            "rpc.method": call.method,
          },
        },
        parent,
      );
      const serverContext = trace.setSpan(parent, server);
      const sdk = tracer.startSpan(`sdk.${call.endpoint}`, {}, serverContext);
      const sdkContext = trace.setSpan(serverContext, sdk);
      const downstreamLabels: Attributes = {};
      const span: CallSpan = {
        traceId: sdk.spanContext().traceId,
        setPluginContext(pluginContext) {
          sdk.setAttributes({ plugin_id: pluginContext.pluginId, org_id: Number(pluginContext.orgId) });
          const ds = pluginContext.dataSourceInstanceSettings;
          if (ds) {
            sdk.setAttributes({ datasource_name: ds.name, datasource_uid: ds.uid });
            Object.assign(downstreamLabels, {
              datasource_name: ds.name,
              datasource_uid: ds.uid,
              datasource_type: pluginContext.pluginId,
            });
          }
          if (pluginContext.user) sdk.setAttribute("user", pluginContext.user.name);
        },
        run: (fn) => context.with(sdkContext, fn),
        startDownstream(request) {
          const client = tracer.startSpan(
            "HTTP Outgoing Request",
            { kind: SpanKind.CLIENT, attributes: downstreamLabels },
            sdkContext,
          );
          propagator.inject(trace.setSpan(sdkContext, client), request.headers, headerSetter);
          let ended = false;
          return {
            end(outcome) {
              if (ended) return;
              ended = true;
              client.setAttributes({
                "http.url": call.redact(String(request.url)),
                "http.method": request.method,
              });
              endDownstream(client, outcome, call.redact);
            },
            responseSize() {},
          };
        },
        end(outcome) {
          sdk.setAttributes({ request_status: outcome.status, status_source: outcome.source });
          if (outcome.error !== undefined) {
            sdk.recordException({ name: "Error", message: outcome.error });
            sdk.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
          }
          sdk.end();
          server.setAttribute("rpc.grpc.status_code", outcome.code);
          if (serverErrorCodes.has(outcome.code)) {
            server.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error ?? "" });
          }
          server.end();
        },
      };
      return span;
    },
  };

  return {
    tracer: callTracer,
    async shutdown() {
      try {
        await provider.shutdown();
      } finally {
        // Undo the globals: a later tracing (a test, a restarted server) installs its own.
        trace.disable();
        propagation.disable();
        context.disable();
      }
    },
  };
}

/** The Go SDK's HTTP tracing middleware's ending: the status code and size, or the error. */
function endDownstream(span: Span, outcome: unknown, redact: (text: string) => string): void {
  if (isResponse(outcome)) {
    const length = Number(outcome.headers.get("content-length"));
    if (length > 0) span.setAttribute("http.content_length", length);
    span.setAttribute("http.status_code", outcome.status);
    if (outcome.status >= 400) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `error with HTTP status code ${outcome.status}`,
      });
    }
  } else {
    const message = redact(outcome instanceof Error ? outcome.message : String(outcome));
    span.recordException({ name: outcome instanceof Error ? outcome.name : "Error", message });
    span.setStatus({ code: SpanStatusCode.ERROR, message: "request failed" });
  }
  span.end();
}

function isResponse(value: unknown): value is { status: number; headers: Headers } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { status?: unknown }).status === "number" &&
    (value as { headers?: unknown }).headers instanceof Headers
  );
}
