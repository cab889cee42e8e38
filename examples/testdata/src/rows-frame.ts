import type { TimeRange } from "@gfsdk/core";
import { createFrame, type Frame, numberField, stringField, timeField } from "@gfsdk/dataframe";

const labels = Array.from({ length: 16 }, (_, i) => `label-${i}`);

/** Most rows `rows` answers: ten million, as the contract allows. */
export const maxRows = 10_000_000;

/**
 * A frame of `n` rows: `time` spread over the range, `value` (float64) and `label` (string). Built
 * from typed arrays, the fast path, since it serves size and speed tests.
 */
export function rowsFrame(n: number, range: TimeRange): Frame {
  const count = Math.min(n, maxRows);
  const from = range.from.getTime();
  const step = Math.max(0, range.to.getTime() - from) / Math.max(1, count);
  const times = new Float64Array(count);
  const values = new Float64Array(count);
  const names = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    times[i] = from + i * step;
    values[i] = Math.sin(i / 100) * 100;
    names[i] = labels[i & 15] as string;
  }
  return createFrame({
    name: "rows",
    fields: [timeField("time", times), numberField("value", values), stringField("label", names)],
  });
}
