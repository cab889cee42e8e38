import { create } from "@bufbuild/protobuf";
import type { CallOptions } from "@connectrpc/connect";
import { type PluginClient, pluginv2 } from "@gfsdk/core/protocol";
import type { AdmissionRequestInit } from "./admission-request.js";
import { admissionRequest } from "./admission-request.js";
import {
  type AdmissionResult,
  type ConversionResult,
  toAdmissionResult,
  toConversionResult,
} from "./admission-result.js";
import { callResourceRequest } from "./call-resource-request.js";
import { checkHealthRequest, collectMetricsRequest } from "./check-health-request.js";
import { type ChunkedQueryResult, toChunkedQueryResults } from "./chunked-query-result.js";
import { type ConversionRequestInit, conversionRequest } from "./conversion-request.js";
import { type HealthCheckResult, toHealthCheckResult } from "./health-check-result.js";
import { createPluginContextFactory, type PluginContextInit } from "./plugin-context-factory.js";
import { queryChunkedDataRequest, queryDataRequest } from "./query-data-request.js";
import { type QueryResult, toQueryResults } from "./query-result.js";
import { type ResourceResult, toResourceResult } from "./resource-result.js";
import {
  publishStreamRequest,
  runStreamRequest,
  type StreamRequestInit,
  subscribeStreamRequest,
} from "./stream-requests.js";
import {
  createStreamDataReader,
  type PublishResult,
  type StreamData,
  type SubscribeResult,
  toPublishResult,
  toSubscribeResult,
} from "./stream-results.js";
import type { TestPluginContext } from "./test-plugin-context.js";
import type { TestQuery } from "./test-query.js";
import type { TestResourceRequest } from "./test-resource-request.js";

/** What every call takes: the plugin context to send, merged over the tester's, and cancellation. */
export interface TestCallOptions<J, S> extends TestPluginContext<J, S> {
  /** Cancels the call, as Grafana does when the user leaves the dashboard. */
  signal?: AbortSignal;
  /** The call's deadline in milliseconds; default none. */
  timeoutMs?: number;
}

/** Options of {@link PluginTester.checkHealth}. */
export interface CheckHealthOptions<J, S> extends TestCallOptions<J, S> {
  /** The request's `headers` map; default `{}`. */
  headers?: Record<string, string>;
}

/** Options of {@link PluginTester.queryData}. */
export interface QueryDataOptions<J, S> extends TestCallOptions<J, S> {
  /** The frame encoding to ask for; default `"arrow"`, as Grafana does. */
  format?: "arrow" | "json";
  /** The request's `headers` map (forwarded HTTP headers are `http_<Name>`); default `{}`. */
  headers?: Record<string, string>;
}

/** Options of {@link PluginTester.query}: one query and the request around it. */
export interface QueryOptions<J, S> extends TestQuery, QueryDataOptions<J, S> {}

/** Options of {@link PluginTester.callResource}: the request and its plugin context. */
export interface CallResourceOptions<J, S> extends TestResourceRequest, TestCallOptions<J, S> {}

/** Options of the stream calls: the channel path, data and headers, and the plugin context. */
export interface StreamOptions<J, S>
  extends Omit<StreamRequestInit, "pluginContext">,
    TestCallOptions<J, S> {}

/** Options of {@link PluginTester.validateAdmission} and {@link PluginTester.mutateAdmission}. */
export interface AdmissionOptions<J, S>
  extends Omit<AdmissionRequestInit, "pluginContext">,
    TestCallOptions<J, S> {}

/** Options of {@link PluginTester.convertObjects}. */
export interface ConversionOptions<J, S>
  extends Omit<ConversionRequestInit, "pluginContext">,
    TestCallOptions<J, S> {}

/** Options of {@link createPluginTester}: the default plugin context of every call. */
export interface PluginTesterOptions<J, S> extends TestPluginContext<J, S> {}

/** Calls one plugin as Grafana would, in plain values in and out, over any {@link PluginClient}. */
export interface PluginTester<J = Record<string, unknown>, S = Record<string, string>> {
  /** Runs CheckHealth. */
  checkHealth(options?: CheckHealthOptions<J, S>): Promise<HealthCheckResult>;
  /** Runs QueryData with one query (refId `"A"` unless given) and returns its answer. */
  query(options?: QueryOptions<J, S>): Promise<QueryResult>;
  /**
   * Runs QueryData with several queries in one request, and returns the answers keyed by refId.
   * Queries without a refId get `"A"`, `"B"`, … by position; two queries with one refId throw.
   */
  queryData(queries: TestQuery[], options?: QueryDataOptions<J, S>): Promise<Record<string, QueryResult>>;
  /**
   * Runs QueryChunkedData and returns the answers keyed by refId, the chunks of each frameId
   * joined into one frame (see {@link toChunkedQueryResults}).
   */
  queryChunkedData(
    queries: TestQuery[],
    options?: QueryDataOptions<J, S>,
  ): Promise<Record<string, ChunkedQueryResult>>;
  /** Runs CallResource and collects the streamed answer. */
  callResource(options: CallResourceOptions<J, S>): Promise<ResourceResult>;
  /** Runs CollectMetrics and returns the Prometheus text exposition (`""` when the plugin has none). */
  collectMetrics(options?: TestCallOptions<J, S>): Promise<string>;
  /** Runs SubscribeStream: its status by name and its initial data decoded. */
  subscribeStream(options: StreamOptions<J, S>): Promise<SubscribeResult>;
  /**
   * Runs RunStream and yields each packet decoded (JSON, and frames when frame JSON). Stop it by
   * breaking out of the loop or with `signal`: either cancels the call, as Grafana does when the
   * last subscriber leaves.
   */
  runStream(options: StreamOptions<J, S>): AsyncIterable<StreamData>;
  /** Runs PublishStream. */
  publishStream(options: StreamOptions<J, S>): Promise<PublishResult>;
  /** Runs ValidateAdmission. */
  validateAdmission(options?: AdmissionOptions<J, S>): Promise<AdmissionResult>;
  /** Runs MutateAdmission; the mutated object comes back parsed. */
  mutateAdmission(options?: AdmissionOptions<J, S>): Promise<AdmissionResult>;
  /** Runs ConvertObjects; the converted objects come back parsed. */
  convertObjects(options: ConversionOptions<J, S>): Promise<ConversionResult>;
  /**
   * The `PluginContext` message the next call would send (for calls through {@link client}).
   */
  pluginContext(overrides?: TestPluginContext<J, S>): pluginv2.PluginContext;
  /** The underlying client, for raw messages. */
  readonly client: PluginClient;
}

function callOptions(options: TestCallOptions<unknown, unknown>): CallOptions {
  const out: CallOptions = {};
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  return out;
}

/** Splits a call's options into the request's own fields and the plugin context overrides. */
function split<T extends object, J, S>(
  call: T & TestCallOptions<J, S>,
  requestKeys: readonly (keyof T)[],
): { request: Partial<T>; context: TestPluginContext<J, S> } {
  const request: Partial<T> = {};
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(call)) {
    if (key === "signal" || key === "timeoutMs") continue;
    if ((requestKeys as readonly string[]).includes(key)) (request as Record<string, unknown>)[key] = value;
    else context[key] = value;
  }
  return { request, context: context as TestPluginContext<J, S> };
}

const streamKeys = ["path", "data", "headers"] as const;
const admissionKeys = ["operation", "kind", "object", "oldObject"] as const;
const conversionKeys = ["objects", "targetVersion", "uid"] as const;
const queryKeys = ["refId", "queryType", "model", "timeRange", "maxDataPoints", "intervalMs"] as const;
const resourceKeys = ["method", "path", "headers", "body"] as const;
const decoder = new TextDecoder();

/**
 * Creates a {@link PluginTester} over `client`, any transport's {@link PluginClient} (in-process,
 * Connect, gRPC, a launched executable): requests are built from plain values (org 1, an Admin
 * user, a data source with uid `test-datasource-uid` by default; `options` are merged under each
 * call's), and the answers decoded, frames included. Settings that change between calls move
 * `lastUpdatedMS` on, as Grafana does, so the plugin builds a new instance.
 */
export function createPluginTester<J = Record<string, unknown>, S = Record<string, string>>(
  client: PluginClient,
  options: PluginTesterOptions<NoInfer<J>, NoInfer<S>> = {},
): PluginTester<J, S> {
  const contextFor = createPluginContextFactory<J, S>(options);
  const context = (call: TestPluginContext<J, S>): pluginv2.PluginContext =>
    create(pluginv2.PluginContextSchema, contextFor(call) as PluginContextInit);

  const queryData = async (
    queries: TestQuery[],
    call: QueryDataOptions<J, S> = {},
  ): Promise<Record<string, QueryResult>> => {
    const { format, headers, signal: _s, timeoutMs: _t, ...rest } = call;
    const request = queryDataRequest({ queries, format, headers, pluginContext: context(rest) });
    return toQueryResults(await client.data.queryData(request, callOptions(call)));
  };

  const admission = (call: AdmissionOptions<J, S>) => {
    const { request, context: overrides } = split(call, admissionKeys);
    return admissionRequest({ ...request, pluginContext: context(overrides) });
  };

  const streamRequest = <T>(call: StreamOptions<J, S>, build: (init: StreamRequestInit) => T): T => {
    const { request, context: overrides } = split(call, streamKeys);
    return build({ ...(request as StreamRequestInit), pluginContext: context(overrides) });
  };

  return {
    client,

    async checkHealth(call = {}) {
      const { headers, signal: _s, timeoutMs: _t, ...rest } = call;
      const request = checkHealthRequest({ headers, pluginContext: context(rest) });
      return toHealthCheckResult(await client.diagnostics.checkHealth(request, callOptions(call)));
    },

    async query(call = {}) {
      const { request, context: rest } = split(call, [...queryKeys, "format", "headers"] as const);
      const refId = request.refId ?? "A";
      const { format, headers, ...query } = request;
      const results = await queryData([{ ...query, refId }], {
        ...rest,
        ...(format === undefined ? {} : { format }),
        ...(headers === undefined ? {} : { headers }),
        ...callOptions(call),
      } as QueryDataOptions<J, S>);
      const result = results[refId];
      if (result === undefined) {
        const got = Object.keys(results).map((id) => JSON.stringify(id));
        throw new Error(
          `the plugin sent no response for refId ${JSON.stringify(refId)} (got ${got.join(", ") || "none"})`,
        );
      }
      return result;
    },

    queryData,

    async queryChunkedData(queries, call = {}) {
      const { format, headers, signal: _s, timeoutMs: _t, ...rest } = call;
      const request = queryChunkedDataRequest({ queries, format, headers, pluginContext: context(rest) });
      const messages: pluginv2.QueryChunkedDataResponse[] = [];
      for await (const message of client.data.queryChunkedData(request, callOptions(call)))
        messages.push(message);
      return toChunkedQueryResults(messages);
    },

    async callResource(call) {
      const { request, context: overrides } = split(call, resourceKeys);
      const message = callResourceRequest({
        ...(request as TestResourceRequest),
        pluginContext: context(overrides),
      });
      const messages: pluginv2.CallResourceResponse[] = [];
      for await (const m of client.resource.callResource(message, callOptions(call))) messages.push(m);
      return toResourceResult(messages);
    },

    async collectMetrics(call = {}) {
      const { signal: _s, timeoutMs: _t, ...rest } = call;
      const request = collectMetricsRequest({ pluginContext: context(rest) });
      const response = await client.diagnostics.collectMetrics(request, callOptions(call));
      return decoder.decode(response.metrics?.prometheus ?? new Uint8Array());
    },

    async subscribeStream(call) {
      const request = streamRequest(call, subscribeStreamRequest);
      return toSubscribeResult(await client.stream.subscribeStream(request, callOptions(call)));
    },

    runStream(call) {
      const request = streamRequest(call, runStreamRequest);
      return {
        async *[Symbol.asyncIterator]() {
          // Breaking out of the caller's loop aborts this controller, which cancels the call.
          const abort = new AbortController();
          const signal = call.signal ? AbortSignal.any([call.signal, abort.signal]) : abort.signal;
          const read = createStreamDataReader();
          try {
            for await (const packet of client.stream.runStream(request, { ...callOptions(call), signal })) {
              yield read(packet.data);
            }
          } finally {
            abort.abort();
          }
        },
      };
    },

    async publishStream(call) {
      const request = streamRequest(call, publishStreamRequest);
      return toPublishResult(await client.stream.publishStream(request, callOptions(call)));
    },

    async validateAdmission(call = {}) {
      return toAdmissionResult(await client.admission.validateAdmission(admission(call), callOptions(call)));
    },

    async mutateAdmission(call = {}) {
      return toAdmissionResult(await client.admission.mutateAdmission(admission(call), callOptions(call)));
    },

    async convertObjects(call) {
      const { request, context: overrides } = split(call, conversionKeys);
      const message = conversionRequest({
        ...(request as Omit<ConversionRequestInit, "pluginContext">),
        pluginContext: context(overrides),
      });
      return toConversionResult(await client.conversion.convertObjects(message, callOptions(call)));
    },

    pluginContext: (overrides = {}) => context(overrides),
  };
}
