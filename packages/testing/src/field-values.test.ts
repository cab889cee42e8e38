import { boolField, createFrame, jsonField, numberField, stringField, timeField } from "@gfsdk/dataframe";
import { describe, expect, it } from "vitest";
import { fieldValues, frameRows } from "./field-values.js";

const frame = createFrame({
  name: "f",
  fields: [
    timeField("time", [new Date("2024-01-01T00:00:00Z"), null]),
    numberField("big", BigInt64Array.of(7n, 2n ** 60n)),
    boolField("ok", [true, false]),
    stringField("s", ["a", null]),
    jsonField("j", [{ x: 1 }, [2]]),
  ],
});

describe("fieldValues", () => {
  it("gives times as Dates, nulls as null and safe 64-bit integers as numbers", () => {
    expect(fieldValues(frame, "time")).toEqual([new Date("2024-01-01T00:00:00Z"), null]);
    expect(fieldValues(frame, 1)).toEqual([7, 2n ** 60n]);
    expect(fieldValues(frame, "ok")).toEqual([true, false]);
    expect(fieldValues(frame, "j")).toEqual([{ x: 1 }, [2]]);
  });

  it("names the frame's fields when the field is missing", () => {
    expect(() => fieldValues(frame, "nope")).toThrow(
      'frame "f" has no field "nope"; its fields: "time", "big", "ok", "s", "j"',
    );
  });
});

describe("frameRows", () => {
  it("gives one object per row keyed by field name", () => {
    expect(frameRows(frame)).toEqual([
      { time: new Date("2024-01-01T00:00:00Z"), big: 7, ok: true, s: "a", j: { x: 1 } },
      { time: null, big: 2n ** 60n, ok: false, s: null, j: [2] },
    ]);
  });

  it("refuses a frame with two fields of one name", () => {
    const twice = createFrame({ fields: [numberField("v", [1]), numberField("v", [2])] });
    expect(() => frameRows(twice)).toThrow(/two fields named "v"/);
  });
});
