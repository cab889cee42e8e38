import { describe, expect, it } from "vitest";
import { numberField, stringField, timeField } from "./field-builders.js";
import { createFrame } from "./frame.js";
import { framesEqual } from "./frames-equal.js";
import { longToWide } from "./long-to-wide.js";
import { wideToLong } from "./wide-to-long.js";

const t = (s: number) => BigInt(s) * 1_000_000_000n;

describe("wideToLong", () => {
  it("turns labels into string fields and emits one row per label set and time", () => {
    const wide = createFrame({
      name: "wide",
      fields: [
        timeField("time", [t(1), t(2)]),
        numberField("value", [2, 4], { labels: { host: "b" } }),
        numberField("value", [1, 3], { labels: { host: "a" } }),
        numberField("count", [5, 6], { labels: { host: "a", dc: "x" } }),
      ],
    });
    const long = wideToLong(wide);
    expect(long.name).toBe("wide");
    expect(long.fields.map((f) => [f.name, f.type, f.nullable, f.toArray()])).toEqual([
      ["time", "time", false, [t(1), t(1), t(1), t(2), t(2), t(2)]],
      ["count", "float64", false, [5, 0, 0, 6, 0, 0]],
      ["value", "float64", false, [0, 1, 2, 0, 3, 4]],
      ["dc", "string", false, ["x", "", "", "x", "", ""]],
      ["host", "string", false, ["a", "a", "b", "a", "a", "b"]],
    ]);
  });

  it("inverts longToWide for a complete long series", () => {
    const long = createFrame({
      fields: [
        timeField("time", [t(1), t(1), t(2), t(2)]),
        numberField("value", [1, 2, 3, 4]),
        stringField("host", ["a", "b", "a", "b"]),
      ],
    });
    expect(framesEqual(wideToLong(longToWide(long)), long)).toEqual({ equal: true });
  });

  it("rejects frames that are not wide, empty, with null times, or with a name used by two types", () => {
    expect(() =>
      wideToLong(
        createFrame({ fields: [timeField("time", [t(1)]), stringField("s", ["a"]), numberField("v", [1])] }),
      ),
    ).toThrow(/expected a wide series but got a long series/);
    expect(() => wideToLong(createFrame({ fields: [timeField("time", []), numberField("v", [])] }))).toThrow(
      /no rows/,
    );
    expect(() =>
      wideToLong(createFrame({ fields: [timeField("time", [null]), numberField("v", [1])] })),
    ).toThrow(/null values/);
    expect(() =>
      wideToLong(
        createFrame({
          fields: [
            timeField("time", [t(1)]),
            numberField("v", [1], { labels: { a: "1" } }),
            numberField("v", [1], { type: "int32" }),
          ],
        }),
      ),
    ).toThrow(/fields named "v" have different types \(float64 and int32\)/);
  });
});
