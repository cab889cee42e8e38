// The rows frame of the frame benchmark, built exactly like go/cmd/framebench/frames.go RowsFrame.
import { createFrame, type Frame, numberField, stringField, timeField } from "@gfsdk/dataframe";

/** First timestamp of the rows frame: 2023-11-14T22:13:20Z in epoch nanoseconds. */
const EPOCH_NANOS = 1_700_000_000_000_000_000n;

const PREFIXES = ["cpu", "mem", "disk-io", "net", "host-a", "eu-west-1", "x", "requests_total"];

/**
 * An `n`-row frame: `time` (1 ms steps, not nullable), `value` (float64), `count` (nullable int64,
 * null on every 10th row) and `label` (short ASCII strings such as `disk-io-417`).
 */
export function rowsFrame(n: number): Frame {
  const times = new BigInt64Array(n);
  const values = new Float64Array(n);
  const counts = new BigInt64Array(n);
  const validity = new Uint8Array(n);
  const labels = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    times[i] = EPOCH_NANOS + BigInt(i) * 1_000_000n;
    values[i] = i * 0.001 + (i % 97) / 7;
    if (i % 10 !== 0) {
      counts[i] = BigInt(i * 7 - 3_500_000);
      validity[i] = 1;
    }
    labels[i] = `${PREFIXES[i % PREFIXES.length]}-${i % 1013}`;
  }
  return createFrame({
    name: "rows",
    refId: "A",
    fields: [
      timeField("time", times),
      numberField("value", values),
      numberField("count", counts, { type: "int64", nullable: true, validity }),
      stringField("label", labels),
    ],
  });
}
