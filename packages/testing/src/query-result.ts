import type { ErrorSource } from "@gfsdk/core";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type Frame, frameFromArrow, frameFromJSON } from "@gfsdk/dataframe";

/** The answer to one query, with its frames decoded. */
export interface QueryResult {
  refId: string;
  /** The HTTP status the plugin set: 200 on success, unless it said otherwise. */
  status: number;
  /** The error message; undefined when the query succeeded. */
  error: string | undefined;
  /** Who caused `error`; undefined without an error. */
  errorSource: ErrorSource | undefined;
  /** The encoding the frames came in, which echoes the request's. */
  format: "arrow" | "json";
  /** The frames, decoded from Arrow IPC or frame JSON (see `fieldValues` for plain values). */
  frames: Frame[];
}

/** Converts the `DataResponse` of `refId` to a {@link QueryResult}, decoding its frames. */
export function toQueryResult(refId: string, response: pluginv2.DataResponse): QueryResult {
  const json = response.format === pluginv2.DataFrameFormat.JSON;
  return {
    refId,
    status: response.status,
    error: response.error === "" ? undefined : response.error,
    errorSource: response.errorSource === "" ? undefined : (response.errorSource as ErrorSource),
    format: json ? "json" : "arrow",
    frames: response.frames.map((bytes) => (json ? frameFromJSON(bytes) : frameFromArrow(bytes))),
  };
}

/**
 * The answers of a QueryData response keyed by refId, each with its frames decoded (Arrow or frame
 * JSON, as its `format` says).
 */
export function toQueryResults(response: pluginv2.QueryDataResponse): Record<string, QueryResult> {
  const results: Record<string, QueryResult> = {};
  for (const [refId, answer] of Object.entries(response.responses))
    results[refId] = toQueryResult(refId, answer);
  return results;
}
