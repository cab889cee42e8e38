import type { TimeRange } from "@gfsdk/core";
import { createFrame, type Frame, numberField, stringField, timeField } from "@gfsdk/dataframe";

const labels = Array.from({ length: 16 }, (_, i) => `label-${i}`);

/**
 * Rows `start` (inclusive) to `end` (exclusive) of the `rows` frame of `total` rows over `range`:
 * `time` spread over the range, `value` (float64) and `label` (string). Every row depends only on
 * its index, `total` and the range, so the slices of a frame, joined in order, are that frame; this
 * lets QueryChunkedData build each chunk when the transport wants it instead of the whole frame.
 * Built from typed arrays, the fast path, since it serves size and speed tests.
 */
export function rowsSlice(total: number, range: TimeRange, start: number, end: number): Frame {
  const from = range.from.getTime();
  const step = Math.max(0, range.to.getTime() - from) / Math.max(1, total);
  const count = Math.max(0, end - start);
  const times = new Float64Array(count);
  const values = new Float64Array(count);
  const names = new Array<string>(count);
  for (let k = 0; k < count; k++) {
    const i = start + k;
    times[k] = from + i * step;
    values[k] = Math.sin(i / 100) * 100;
    names[k] = labels[i & 15] as string;
  }
  return createFrame({
    name: "rows",
    fields: [timeField("time", times), numberField("value", values), stringField("label", names)],
  });
}

/**
 * The `rows` frame of `total` rows as slices of at most `chunkRows` rows, in order, each built
 * only when asked for. A frame of no rows is one slice of no rows, so its schema is still sent.
 */
export function* rowsSlices(total: number, range: TimeRange, chunkRows: number): Generator<Frame> {
  if (total === 0) {
    yield rowsSlice(0, range, 0, 0);
    return;
  }
  for (let start = 0; start < total; start += chunkRows) {
    yield rowsSlice(total, range, start, Math.min(total, start + chunkRows));
  }
}
