import type { DataQuery as DataQueryMessage } from "./gen/pluginv2/backend_pb.js";
import type { JsonObject } from "./plugin-context.js";
import { PluginError } from "./plugin-error.js";

/** A time range with both ends as `Date`s. */
export interface TimeRange {
  from: Date;
  to: Date;
}

/**
 * One query of a QueryData request, with its JSON model parsed and times as `Date`s.
 * `Model` types the query JSON the frontend sends.
 */
export type DataQuery<Model = JsonObject> = Omit<
  DataQueryMessage,
  "$typeName" | "$unknown" | "maxDataPoints" | "intervalMS" | "timeRange" | "json"
> & {
  /** The most points the panel can show; 0 when Grafana does not say. */
  maxDataPoints: number;
  /** The suggested interval between points, in milliseconds. */
  intervalMs: number;
  timeRange: TimeRange;
  /** The query model, parsed from `json`; `{}` when the query has no JSON. */
  model: Model;
  /** The query model as Grafana sent it. */
  json: Uint8Array;
};

const decoder = new TextDecoder();

/** Parses a query; invalid JSON is a 400 plugin error for that query. @private Internal code. */
export function parseDataQuery(message: DataQueryMessage): DataQuery {
  let model: JsonObject = {};
  if (message.json.length > 0) {
    try {
      model = JSON.parse(decoder.decode(message.json)) as JsonObject;
    } catch (error) {
      throw new PluginError(`invalid query JSON for refId "${message.refId}": ${(error as Error).message}`, {
        status: 400,
      });
    }
    if (model === null || typeof model !== "object" || Array.isArray(model)) {
      throw new PluginError(`invalid query JSON for refId "${message.refId}": not an object`, {
        status: 400,
      });
    }
  }
  return {
    refId: message.refId,
    queryType: message.queryType,
    maxDataPoints: Number(message.maxDataPoints),
    intervalMs: Number(message.intervalMS),
    timeRange: {
      from: epochDate(message.timeRange?.fromEpochMS ?? 0n, "fromEpochMS", message.refId),
      to: epochDate(message.timeRange?.toEpochMS ?? 0n, "toEpochMS", message.refId),
    },
    model,
    json: message.json,
  };
}

/** Most milliseconds from the epoch a `Date` holds, either way. */
const maxDateMs = 8_640_000_000_000_000n;

/** A time of the range as a `Date`; one a `Date` cannot hold (Go's int64 can) is a 400 for that query, not an Invalid Date. */
function epochDate(ms: bigint, name: string, refId: string): Date {
  if (ms > maxDateMs || ms < -maxDateMs) {
    throw new PluginError(
      `invalid timeRange for refId "${refId}": ${name} ${ms} is outside the dates JavaScript holds (±${maxDateMs} ms)`,
      { status: 400 },
    );
  }
  return new Date(Number(ms));
}
