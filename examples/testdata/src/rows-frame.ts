import type { TimeRange } from "@gfsdk/core";
import type { Frame } from "@gfsdk/dataframe";
import { rowsSlice } from "./rows-slice.js";

/** Most rows `rows` answers: ten million, as the contract allows. */
export const maxRows = 10_000_000;

/**
 * A frame of `n` rows (at most {@link maxRows}): `time` spread over the range, `value` (float64)
 * and `label` (string); the whole of what {@link rowsSlice} cuts for QueryChunkedData.
 */
export function rowsFrame(n: number, range: TimeRange): Frame {
  const count = Math.min(n, maxRows);
  return rowsSlice(count, range, 0, count);
}
