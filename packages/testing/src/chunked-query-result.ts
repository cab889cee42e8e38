import type { ErrorSource } from "@gfsdk/core";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type Frame, frameFromArrow, frameFromJSON } from "@gfsdk/dataframe";
import { joinFrames } from "./join-frames.js";
import type { QueryResult } from "./query-result.js";

/** The answer to one query of a QueryChunkedData call: its chunks regrouped, frames joined. */
export interface ChunkedQueryResult extends QueryResult {
  /** The status of the refId's error chunk; else the last non-zero status a chunk had; else 200. */
  status: number;
  /** One frame per frameId, in order of first appearance, its chunks joined row by row. */
  frames: Frame[];
  /** The frameIds of `frames`, in the same order. */
  frameIds: string[];
  /** Every chunk's frame as it arrived, decoded (JSON data-only chunks against their frameId's first). */
  chunks: { frameId: string; frame: Frame }[];
}

/**
 * Regroups the messages of one QueryChunkedData call by refId and frameId, as Grafana's client
 * does: JSON chunks after the first of a frameId carry data only and decode against its schema;
 * Arrow chunks are each a whole Arrow IPC file. A chunk with an error (and no frame) sets the
 * refId's error. Throws, naming the refId and frameId, when a chunk cannot be decoded.
 */
export function toChunkedQueryResults(
  messages: Iterable<pluginv2.QueryChunkedDataResponse>,
): Record<string, ChunkedQueryResult> {
  const results: Record<string, ChunkedQueryResult> = {};
  const parts = new Map<string, Map<string, Frame[]>>();
  for (const message of messages) {
    const json = message.format === pluginv2.DataFrameFormat.JSON;
    let result = results[message.refId];
    if (result === undefined) {
      result = {
        refId: message.refId,
        status: 0,
        error: undefined,
        errorSource: undefined,
        format: json ? "json" : "arrow",
        frames: [],
        frameIds: [],
        chunks: [],
      };
      results[message.refId] = result;
      parts.set(message.refId, new Map());
    }
    if (message.error !== "") {
      result.error = message.error;
      result.status = message.status;
      result.errorSource = message.errorSource === "" ? undefined : (message.errorSource as ErrorSource);
    } else if (message.status !== 0 && result.error === undefined) {
      result.status = message.status;
    }
    if (message.frame.length === 0) continue;
    const byFrame = parts.get(message.refId)!;
    const previous = byFrame.get(message.frameId);
    let frame: Frame;
    try {
      frame = json
        ? frameFromJSON(message.frame, previous?.[0] === undefined ? {} : { schema: previous[0] })
        : frameFromArrow(message.frame);
    } catch (error) {
      const where = `refId ${JSON.stringify(message.refId)}, frameId ${JSON.stringify(message.frameId)}`;
      throw new Error(`chunk ${previous?.length ?? 0} of ${where} cannot be decoded: ${String(error)}`, {
        cause: error,
      });
    }
    if (previous === undefined) {
      byFrame.set(message.frameId, [frame]);
      result.frameIds.push(message.frameId);
    } else {
      previous.push(frame);
    }
    result.chunks.push({ frameId: message.frameId, frame });
  }
  for (const result of Object.values(results)) {
    if (result.status === 0) result.status = 200;
    const byFrame = parts.get(result.refId)!;
    result.frames = result.frameIds.map((id) => joinFrames(byFrame.get(id)!, id));
  }
  return results;
}
