import { framesEqual } from "@gfsdk/dataframe";
import { describe, expect, it } from "vitest";
import { rowsFrame } from "./rows-frame.js";
import { rowsSlice, rowsSlices } from "./rows-slice.js";

const range = { from: new Date(1_700_000_000_000), to: new Date(1_700_000_360_000) };

describe("rowsSlice", () => {
  it("spreads times over the range and cycles 16 labels", () => {
    const frame = rowsSlice(4, range, 0, 4);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ["time", "time"],
      ["value", "float64"],
      ["label", "string"],
    ]);
    // time values are epoch nanoseconds.
    expect(frame.fields[0]!.toArray()).toEqual(
      [1_700_000_000_000n, 1_700_000_090_000n, 1_700_000_180_000n, 1_700_000_270_000n].map(
        (ms) => ms * 1_000_000n,
      ),
    );
    expect(rowsSlice(40, range, 15, 18).fields[2]!.toArray()).toEqual(["label-15", "label-0", "label-1"]);
  });

  it("gives the same rows whichever slices they are cut into", () => {
    const whole = rowsSlice(100, range, 0, 100);
    const parts = [rowsSlice(100, range, 0, 33), rowsSlice(100, range, 33, 100)];
    for (let f = 0; f < 3; f++) {
      expect(parts.flatMap((p) => p.fields[f]!.toArray())).toEqual(whole.fields[f]!.toArray());
    }
    expect(framesEqual(rowsFrame(100, range), whole).difference).toBeUndefined();
  });

  it("holds the rows of its range, as the whole frame has them", () => {
    const whole = rowsFrame(1000, range);
    const slice = rowsSlice(1000, range, 250, 260);
    expect(slice.rowCount).toBe(10);
    for (let f = 0; f < 3; f++) {
      expect(slice.fields[f]!.toArray()).toEqual(whole.fields[f]!.toArray().slice(250, 260));
    }
  });
});

describe("rowsSlices", () => {
  it("cuts a frame into slices of at most chunkRows rows that join into the frame", () => {
    const whole = rowsFrame(2500, range);
    const slices = [...rowsSlices(2500, range, 1000)];
    expect(slices.map((s) => s.rowCount)).toEqual([1000, 1000, 500]);
    for (let f = 0; f < 3; f++) {
      expect(slices.flatMap((s) => s.fields[f]!.toArray())).toEqual(whole.fields[f]!.toArray());
    }
  });

  it("gives one slice of no rows for a frame of no rows, and one slice when chunkRows covers it", () => {
    expect([...rowsSlices(0, range, 10)].map((s) => s.rowCount)).toEqual([0]);
    expect([...rowsSlices(10, range, 10)].map((s) => s.rowCount)).toEqual([10]);
    expect([...rowsSlices(3, range, 1)].map((s) => s.rowCount)).toEqual([1, 1, 1]);
  });

  it("builds each slice only when asked for", () => {
    const slices = rowsSlices(10_000_000, range, 10);
    expect(slices.next().value?.rowCount).toBe(10);
    slices.return(undefined);
  });
});
