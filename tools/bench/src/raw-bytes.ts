import type { Frame } from "@gfsdk/dataframe";

const WIDTHS: Record<string, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  enum: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
  time: 8,
};

/**
 * The frame's size as Arrow columns, the same count as go/cmd/framebench/frames.go RawBytes: values
 * (8 bytes per int64, float64 or time; UTF-8 bytes plus 4-byte offsets for strings and json; one bit
 * per bool) plus one validity bit per row of nullable fields.
 */
export function rawBytes(frame: Frame): number {
  let total = 0;
  for (const field of frame.fields) {
    const n = field.length;
    if (field.nullable) total += Math.ceil(n / 8);
    if (field.type === "bool") total += Math.ceil(n / 8);
    else if (field.type === "string" || field.type === "json") {
      total += 4 * (n + 1);
      for (let row = 0; row < n; row++) {
        if (field.isNull(row)) continue;
        const value = field.values[row];
        total += Buffer.byteLength(field.type === "string" ? String(value) : JSON.stringify(value));
      }
    } else total += WIDTHS[field.type]! * n;
  }
  return total;
}
