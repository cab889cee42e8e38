import { describe, expect, it } from "vitest";
import { createField } from "./create-field.js";
import { boolField, numberField, stringField, timeField } from "./field-builders.js";
import { createFrame } from "./frame.js";
import { longToWide } from "./long-to-wide.js";

const t = (s: number) => BigInt(s) * 1_000_000_000n;

function summary(frame: ReturnType<typeof createFrame>) {
  return frame.fields.map((f) => ({
    name: f.name,
    type: f.type,
    nullable: f.nullable,
    labels: f.labels,
    values: f.toArray(),
  }));
}

describe("longToWide", () => {
  it("turns each factor combination into a labelled field per value field, sorted by name then factors", () => {
    const long = createFrame({
      name: "long",
      refId: "A",
      meta: { executedQueryString: "q" },
      fields: [
        timeField("time", [t(1), t(1), t(2), t(2)]),
        numberField("value", [1, 2, 3, 4]),
        stringField("host", ["b", "a", "b", "a"]),
        createField("count", "int64", [10n, 20n, 30n, 40n]),
        boolField("up", [true, true, true, true]),
      ],
    });
    const wide = longToWide(long);
    expect(wide.name).toBe("long");
    expect(wide.refId).toBe("A");
    expect(wide.meta).toBe(long.meta);
    expect(summary(wide)).toEqual([
      { name: "time", type: "time", nullable: false, labels: undefined, values: [t(1), t(2)] },
      {
        name: "count",
        type: "int64",
        nullable: false,
        labels: { host: "a", up: "true" },
        values: [20n, 40n],
      },
      {
        name: "count",
        type: "int64",
        nullable: false,
        labels: { host: "b", up: "true" },
        values: [10n, 30n],
      },
      { name: "value", type: "float64", nullable: false, labels: { host: "a", up: "true" }, values: [2, 4] },
      { name: "value", type: "float64", nullable: false, labels: { host: "b", up: "true" }, values: [1, 3] },
    ]);
  });

  const sparse = () =>
    createFrame({
      fields: [
        timeField("time", [t(1), t(2), t(2), t(3)]),
        numberField("v", [1, 2, 3, 4]),
        stringField("host", ["a", "a", "b", "a"]),
      ],
    });

  it("leaves zero values where a series has no row when no fill is given", () => {
    expect(summary(longToWide(sparse())).map((f) => [f.labels, f.nullable, f.values])).toEqual([
      [undefined, false, [t(1), t(2), t(3)]],
      [{ host: "a" }, false, [1, 2, 4]],
      [{ host: "b" }, false, [0, 3, 0]],
    ]);
  });

  it("fills missing cells with null, the previous value, or a number", () => {
    const values = (mode: "null" | "previous" | "value") =>
      summary(longToWide(sparse(), { fillMissing: { mode, value: 9 } }))
        .slice(1)
        .map((f) => [f.nullable, f.values]);
    expect(values("null")).toEqual([
      [true, [1, 2, 4]],
      [true, [null, 3, null]],
    ]);
    expect(values("previous")).toEqual([
      [true, [1, 2, 4]],
      [true, [null, 3, 3]],
    ]);
    expect(values("value")).toEqual([
      [false, [1, 2, 4]],
      [false, [9, 3, 9]],
    ]);
  });

  it("uses an empty label value for null factors", () => {
    const long = createFrame({
      fields: [timeField("time", [t(1)]), numberField("v", [1]), stringField("host", [null])],
    });
    expect(longToWide(long).fields[1]!.labels).toEqual({ host: "" });
  });

  it("rejects frames that are not long series, empty, unsorted or with null times", () => {
    expect(() =>
      longToWide(createFrame({ fields: [timeField("time", [t(1)]), numberField("v", [1])] })),
    ).toThrow(/expected a long series but got a wide series/);
    expect(() =>
      longToWide(
        createFrame({ fields: [timeField("time", []), numberField("v", []), stringField("s", [])] }),
      ),
    ).toThrow(/no rows/);
    expect(() =>
      longToWide(
        createFrame({
          fields: [timeField("time", [t(2), t(1)]), numberField("v", [1, 2]), stringField("s", ["a", "a"])],
        }),
      ),
    ).toThrow(/sorted ascending/);
    expect(() =>
      longToWide(
        createFrame({
          fields: [timeField("time", [t(1), null]), numberField("v", [1, 2]), stringField("s", ["a", "a"])],
        }),
      ),
    ).toThrow(/null time values/);
  });
});
