import type { CallOptions } from "@connectrpc/connect";
import { DataFrameFormat, type Plugin } from "@gfsdk/core";
import type { pluginv2 } from "@gfsdk/core/protocol";
import {
  createInProcessClient,
  type InProcessClient,
  type InProcessClientOptions,
} from "../in-process-client.js";
import { type HealthCheckResult, toHealthCheckResult } from "./health-check-result.js";
import { type CapturedLog, createLogCapture } from "./log-capture.js";
import { createPluginContextFactory, type PluginContextInit } from "./plugin-context-factory.js";
import { type QueryResult, toQueryResult } from "./query-result.js";
import { type ResourceResult, toResourceResult } from "./resource-result.js";
import type { TestPluginContext } from "./test-plugin-context.js";
import { type TestQuery, toDataQuery } from "./test-query.js";
import { type TestResourceRequest, toCallResourceRequest } from "./test-resource-request.js";

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

/** Options of {@link createPluginTester}: the default plugin context of every call, and the client's. */
export interface PluginTesterOptions<J, S> extends TestPluginContext<J, S>, InProcessClientOptions {}

/** Calls one plugin as Grafana would, in plain values in and out. */
export interface PluginTester<J, S> {
  /** Runs CheckHealth. */
  checkHealth(options?: CheckHealthOptions<J, S>): Promise<HealthCheckResult>;
  /** Runs QueryData with one query (refId `"A"` unless given) and returns its answer. */
  query(options?: QueryOptions<J, S>): Promise<QueryResult>;
  /**
   * Runs QueryData with several queries in one request, and returns the answers keyed by refId.
   * Queries without a refId get `"A"`, `"B"`, … by position; two queries with one refId throw.
   */
  queryData(queries: TestQuery[], options?: QueryDataOptions<J, S>): Promise<Record<string, QueryResult>>;
  /** Runs CallResource and collects the streamed answer. */
  callResource(options: CallResourceOptions<J, S>): Promise<ResourceResult>;
  /**
   * The `PluginContext` message the next call would send, for calls through {@link client}
   * (streams, admission, conversion).
   */
  pluginContext(overrides?: TestPluginContext<J, S>): PluginContextInit;
  /** The underlying in-process client, for every other RPC. */
  readonly client: InProcessClient;
  /** What the plugin logged, oldest first; empty when `options.logger` was given. */
  readonly logs: readonly CapturedLog[];
  /** Disposes the plugin's instances. */
  close(): Promise<void>;
}

function callOptions(options: TestCallOptions<unknown, unknown>): CallOptions {
  const out: CallOptions = {};
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  return out;
}

/** `A`, `B`, … `Z`, `AA`, `AB`, …: the refIds Grafana's query editor hands out. */
function refIdAt(index: number): string {
  let n = index;
  let id = "";
  do {
    id = String.fromCharCode(65 + (n % 26)) + id;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return id;
}

/**
 * Creates a {@link PluginTester} for `plugin` over {@link createInProcessClient}: requests are
 * built from plain values (org 1, an Admin user, a data source with uid `test-datasource-uid` by
 * default), serialized as on the wire, and the answers decoded (frames included). The plugin's logs
 * are kept in `logs` instead of written to stderr unless `options.logger` is given.
 */
export function createPluginTester<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: PluginTesterOptions<NoInfer<J>, NoInfer<S>> = {},
): PluginTester<J, S> {
  const { logger, onRequestCompleted, defaultMetrics, shutdownSignal, ...defaults } = options;
  const capture = logger === undefined ? createLogCapture() : undefined;
  const clientOptions: InProcessClientOptions = { logger: logger ?? capture?.logger };
  if (onRequestCompleted) clientOptions.onRequestCompleted = onRequestCompleted;
  if (defaultMetrics) clientOptions.defaultMetrics = defaultMetrics;
  if (shutdownSignal) clientOptions.shutdownSignal = shutdownSignal;
  const client = createInProcessClient(plugin, clientOptions);
  const contextFor = createPluginContextFactory<J, S>(defaults);

  const queryData = async (
    queries: TestQuery[],
    call: QueryDataOptions<J, S> = {},
  ): Promise<Record<string, QueryResult>> => {
    const messages = queries.map((q, i) => toDataQuery(q, refIdAt(i)));
    const refIds = new Set<string>();
    for (const m of messages) {
      if (refIds.has(m.refId!)) throw new TypeError(`two queries have refId ${JSON.stringify(m.refId)}`);
      refIds.add(m.refId!);
    }
    const response: pluginv2.QueryDataResponse = await client.data.queryData(
      {
        pluginContext: contextFor(call),
        headers: call.headers ?? {},
        queries: messages,
        format: call.format === "json" ? DataFrameFormat.JSON : DataFrameFormat.ARROW,
      },
      callOptions(call),
    );
    const results: Record<string, QueryResult> = {};
    for (const [refId, answer] of Object.entries(response.responses))
      results[refId] = toQueryResult(refId, answer);
    return results;
  };

  return {
    client,
    logs: capture?.records ?? [],

    async checkHealth(call = {}) {
      const response = await client.diagnostics.checkHealth(
        { pluginContext: contextFor(call), headers: call.headers ?? {} },
        callOptions(call),
      );
      return toHealthCheckResult(response);
    },

    async query(call = {}) {
      const refId = call.refId ?? "A";
      const results = await queryData([{ ...call, refId }], call);
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

    async callResource(call) {
      const pluginContext = contextFor(call);
      const fields = toCallResourceRequest(call, {
        pluginId: pluginContext.pluginId ?? "",
        dataSourceUid: pluginContext.dataSourceInstanceSettings?.uid,
      });
      const messages: pluginv2.CallResourceResponse[] = [];
      for await (const message of client.resource.callResource(
        { ...fields, pluginContext },
        callOptions(call),
      )) {
        messages.push(message);
      }
      return toResourceResult(messages);
    },

    pluginContext: (overrides) => contextFor(overrides),

    close: () => client.close(),
  };
}
