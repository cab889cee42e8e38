import { type ChunkedDataWriter, type DataQuery, type FrameLike, PluginError } from "@gfsdk/core";
import { chunkRowsOf } from "./chunk-rows.js";
import { frameTimeRange, integerField } from "./query-model.js";
import { maxRows } from "./rows-frame.js";
import { rowsSlices } from "./rows-slice.js";

/** What a query answers, as QueryData does: its frames, or an error with its status and source. */
export type QueryAnswer =
  | FrameLike[]
  | { error: string; status: number; errorSource: "plugin" | "downstream"; frames?: undefined };

/** Most queries of one QueryChunkedData request answered at once (core's default for QueryData). */
const concurrency = 10;

/**
 * Answers a QueryChunkedData request by the contract: every frame QueryData would answer under a
 * frameId of its own (`<refId>-<index>`), a `rows` frame built and written in slices of at most
 * `chunkRows` rows (each slice built only after the transport took the one before: every write
 * waits, so a slow consumer never makes the plugin hold more than the chunk in flight), and one
 * error message for a query that fails. A failing query never stops the others.
 */
export async function writeChunkedAnswer(
  queries: readonly DataQuery[],
  writer: ChunkedDataWriter,
  signal: AbortSignal,
  answer: (query: DataQuery) => Promise<QueryAnswer>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < queries.length) {
      const query = queries[next++] as DataQuery;
      await writeOne(query, writer, signal, answer);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queries.length) }, worker));
}

async function writeOne(
  query: DataQuery,
  writer: ChunkedDataWriter,
  signal: AbortSignal,
  answer: (query: DataQuery) => Promise<QueryAnswer>,
): Promise<void> {
  let result: QueryAnswer | undefined;
  let rows: { total: number; range: DataQuery["timeRange"]; chunkRows: number } | undefined;
  try {
    // Every bad value is refused before anything is generated or written.
    const chunkRows = chunkRowsOf(query.model, query.queryType);
    if (query.queryType === "rows") {
      const total = integerField(query.model, "rows", {
        queryType: "rows",
        min: 0,
        max: maxRows,
        fallback: 0,
      });
      rows = { total, range: frameTimeRange(query.timeRange, "rows"), chunkRows };
    } else {
      result = await answer(query);
    }
  } catch (error) {
    // A cancelled call has no one to answer: the error ends the handler.
    if (signal.aborted) throw error;
    const status = error instanceof PluginError ? error.status : 500;
    await writer.writeError(query.refId, status, error instanceof Error ? error : String(error));
    return;
  }
  if (rows) {
    for (const slice of rowsSlices(rows.total, rows.range, rows.chunkRows)) {
      await writer.writeFrame(query.refId, `${query.refId}-0`, slice);
    }
    return;
  }
  if (result === undefined) return;
  if (!Array.isArray(result)) {
    await writer.writeError(
      query.refId,
      result.status,
      new PluginError(result.error, { status: result.status, source: result.errorSource }),
    );
    return;
  }
  for (let i = 0; i < result.length; i++) {
    await writer.writeFrame(query.refId, `${query.refId}-${i}`, result[i] as FrameLike);
  }
}
