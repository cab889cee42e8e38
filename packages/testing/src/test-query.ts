import type { MessageInitShape } from "@bufbuild/protobuf";
import type { pluginv2 } from "@gfsdk/core/protocol";

/** A time range; each end a Date or epoch milliseconds. */
export interface TestTimeRange {
  from: Date | number;
  to: Date | number;
}

/** One query of a QueryData request, in plain values. */
export interface TestQuery {
  /** Default `"A"`; in {@link PluginTester.queryData} `"A"`, `"B"`, … by position. */
  refId?: string;
  /** Default `""`, which a plugin with one handler for every query type answers. */
  queryType?: string;
  /** The query model the frontend would send: an object sent as JSON, or a string sent as is. Default `{}`. */
  model?: object | string;
  /** Default 2024-01-01T00:00:00Z to 2024-01-01T01:00:00Z, fixed so runs are reproducible. */
  timeRange?: TestTimeRange;
  /** Default 100, what Grafana sends when the panel does not say. */
  maxDataPoints?: number;
  /** In milliseconds; default 1000, what Grafana sends when the panel does not say. */
  intervalMs?: number;
}

/** The default time range of a {@link TestQuery}: one hour from 2024-01-01T00:00:00Z. */
export const defaultTimeRange = {
  from: new Date(Date.UTC(2024, 0, 1, 0, 0, 0)),
  to: new Date(Date.UTC(2024, 0, 1, 1, 0, 0)),
} as const satisfies TestTimeRange;

const encoder = new TextEncoder();

function millis(value: Date | number, end: string): bigint {
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) throw new RangeError(`timeRange.${end} is not a valid time: ${String(value)}`);
  return BigInt(Math.trunc(ms));
}

function integer(value: number, name: string): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`${name} is not a finite number: ${String(value)}`);
  return BigInt(Math.trunc(value));
}

/** Converts a {@link TestQuery} to a `DataQuery` message, with `refId` when the query has none. */
export function toDataQuery(
  query: TestQuery,
  refId: string,
): MessageInitShape<typeof pluginv2.DataQuerySchema> {
  const range = query.timeRange ?? defaultTimeRange;
  const model = query.model ?? {};
  return {
    refId: query.refId ?? refId,
    queryType: query.queryType ?? "",
    maxDataPoints: integer(query.maxDataPoints ?? 100, "maxDataPoints"),
    intervalMS: integer(query.intervalMs ?? 1000, "intervalMs"),
    timeRange: { fromEpochMS: millis(range.from, "from"), toEpochMS: millis(range.to, "to") },
    json: encoder.encode(typeof model === "string" ? model : JSON.stringify(model)),
  };
}
