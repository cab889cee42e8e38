import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type PluginContextArg, toPluginContext } from "./plugin-context.js";
import { type TestQuery, toDataQuery } from "./test-query.js";

/** A QueryData (or QueryChunkedData) request in plain values. */
export interface QueryDataRequestInit {
  /** The queries; those without a refId get `"A"`, `"B"`, … by position. Default one query `{}`. */
  queries?: TestQuery[];
  /** The frame encoding to ask for; default `"arrow"`, as Grafana does. */
  format?: "arrow" | "json";
  /** The request's `headers` map (forwarded HTTP headers are `http_<Name>`); default `{}`. */
  headers?: Record<string, string>;
  /** The plugin context, in plain values (see {@link pluginContext}) or as a message; default the defaults. */
  pluginContext?: PluginContextArg;
}

/** `A`, `B`, … `Z`, `AA`, `AB`, …: the refIds Grafana's query editor hands out. */
export function refIdAt(index: number): string {
  let n = index;
  let id = "";
  do {
    id = String.fromCharCode(65 + (n % 26)) + id;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return id;
}

/** One `DataQuery` message from plain values (refId `"A"` unless given). */
export function dataQuery(query: TestQuery = {}): pluginv2.DataQuery {
  return create(pluginv2.DataQuerySchema, toDataQuery(query, "A"));
}

/** The `DataQuery` messages of `queries`; throws a TypeError when two share a refId. */
function dataQueries(queries: TestQuery[]): pluginv2.DataQuery[] {
  const messages = queries.map((q, i) => create(pluginv2.DataQuerySchema, toDataQuery(q, refIdAt(i))));
  const refIds = new Set<string>();
  for (const m of messages) {
    if (refIds.has(m.refId)) throw new TypeError(`two queries have refId ${JSON.stringify(m.refId)}`);
    refIds.add(m.refId);
  }
  return messages;
}

function format(value: QueryDataRequestInit["format"]): pluginv2.DataFrameFormat {
  if (value === undefined || value === "arrow") return pluginv2.DataFrameFormat.ARROW;
  if (value === "json") return pluginv2.DataFrameFormat.JSON;
  throw new TypeError(`format must be "arrow" or "json", not ${JSON.stringify(value)}`);
}

/**
 * A `QueryDataRequest` message from plain values:
 * `queryDataRequest({ queries: [{ queryType: "metrics", model: { expr: "up" } }] })`.
 */
export function queryDataRequest(init: QueryDataRequestInit = {}): pluginv2.QueryDataRequest {
  return create(pluginv2.QueryDataRequestSchema, {
    pluginContext: toPluginContext(init.pluginContext),
    headers: init.headers ?? {},
    queries: dataQueries(init.queries ?? [{}]),
    format: format(init.format),
  });
}

/** A `QueryChunkedDataRequest` message from plain values, as {@link queryDataRequest}. */
export function queryChunkedDataRequest(init: QueryDataRequestInit = {}): pluginv2.QueryChunkedDataRequest {
  return create(pluginv2.QueryChunkedDataRequestSchema, {
    pluginContext: toPluginContext(init.pluginContext),
    headers: init.headers ?? {},
    queries: dataQueries(init.queries ?? [{}]),
    format: format(init.format),
  });
}
