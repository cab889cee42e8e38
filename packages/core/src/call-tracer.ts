import type { DownstreamObservation, DownstreamRequest } from "./downstream-request.js";
import type { PluginContext } from "./plugin-context.js";
import type { ErrorSource } from "./plugin-error.js";

/** What a {@link CallTracer} is told when a call starts. */
export interface CallStart {
  /** The handler: `queryData`, `checkHealth`, `callResource`, … */
  endpoint: string;
  /** The gRPC service's full name, `pluginv2.Data`. */
  service: string;
  /** The RPC's name, `QueryData`. */
  method: string;
  /** The call's gRPC metadata: `traceparent`, `tracestate`, `uber-trace-id`, … */
  requestHeader: Headers;
  /** Masks this plugin's secrets in a text, for span attributes and error messages. */
  redact: (text: string) => string;
}

/** How a call ended, as a {@link CallSpan} records it. */
export interface CallEnd {
  /** `ok`, `error` or `cancelled`, as in the request metrics. */
  status: "ok" | "error" | "cancelled";
  /** Who caused the error; empty when there was none. */
  source: ErrorSource | "";
  /** The gRPC status code the call ended with (0 OK). */
  code: number;
  /** The error's message, this plugin's secrets masked; undefined when the call did not fail. */
  error?: string;
}

/** The trace of one call: its spans, or, without tracing, only its incoming trace context. */
export interface CallSpan {
  /** The trace id put in every log line of the call as `traceId`; undefined when there is none. */
  readonly traceId: string | undefined;
  /** Adds the plugin context's attributes (plugin id, org, data source, user) once parsed. */
  setPluginContext(pluginContext: PluginContext): void;
  /** Runs `fn` with this call's trace context active (OpenTelemetry's context API). */
  run<T>(fn: () => T): T;
  /** Starts the child span of a downstream HTTP request and puts its trace context in `request.headers`. */
  startDownstream(request: DownstreamRequest): DownstreamObservation;
  /** Ends the call's spans. */
  end(outcome: CallEnd): void;
}

/** Starts the trace of each call; an adapter's tracing (OpenTelemetry) implements it. */
export interface CallTracer {
  start(call: CallStart): CallSpan;
}

/** `traceparent`: version, 32 hex trace id, 16 hex parent id, flags (W3C Trace Context level 1). */
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The trace id of a W3C `traceparent` value, or undefined when it is absent or invalid (version
 * `ff`, an all-zero id, a later version without room for its fields).
 */
export function traceIdOfTraceparent(value: string | null | undefined): string | undefined {
  const match = value ? traceparentPattern.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, version, traceId, parentId, , rest] = match;
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (/^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  return traceId;
}

const noDownstream: DownstreamObservation = { end() {}, responseSize() {} };

/**
 * The call tracer used when tracing is off: no spans, but the incoming W3C trace context is still
 * honoured, as the Go SDK's no-op tracer with its W3C propagator does: the call's logs carry the
 * `traceparent`'s trace id, and downstream requests forward `traceparent` and `tracestate` as
 * they came, so the downstream service joins Grafana's trace. Parsed by hand: two header values,
 * and core stays free of the OpenTelemetry SDK.
 */
export function createW3cCallTracer(): CallTracer {
  return {
    start(call) {
      const traceparent = call.requestHeader.get("traceparent");
      const traceId = traceIdOfTraceparent(traceparent);
      const tracestate = call.requestHeader.get("tracestate");
      return {
        traceId,
        setPluginContext() {},
        run: (fn) => fn(),
        startDownstream(request) {
          if (traceId && traceparent && !request.headers.has("traceparent")) {
            request.headers.set("traceparent", traceparent);
            if (tracestate) request.headers.set("tracestate", tracestate);
          }
          return noDownstream;
        },
        end() {},
      };
    },
  };
}
