import { describe, expect, it } from "vitest";
import { frameFromArrow } from "./arrow-decode.js";
import { createField } from "./create-field.js";
import { numberField, stringField, timeField } from "./field-builders.js";
import { FieldError } from "./field-error.js";
import { createFrame, Frame } from "./frame.js";
import { frameFromJSON } from "./frame-json-decode.js";
import { framesEqual } from "./frames-equal.js";

describe("createFrame", () => {
  it("builds a frame from fields", () => {
    const frame = createFrame({
      name: "cpu",
      fields: [timeField("time", [new Date(0), new Date(1000)]), numberField("value", [1, 2])],
    });
    expect(frame).toBeInstanceOf(Frame);
    expect(frame.rowCount).toBe(2);
    expect(frame.refId).toBeUndefined();
    expect(frame.field("value")!.toArray()).toEqual([1, 2]);
  });

  it("throws a FieldError naming the field when lengths differ", () => {
    let caught: unknown;
    try {
      createFrame({ fields: [numberField("a", [1, 2]), stringField("b", ["x"])] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FieldError);
    expect((caught as FieldError).message).toBe(
      'field "b" (index 1): has 1 rows but field "a" (index 0) has 2; all fields of a frame must have the same length',
    );
    expect((caught as FieldError).fieldIndex).toBe(1);
  });
});

describe("Frame.fromRows", () => {
  it("builds declared columns first, then inferred ones, with missing keys as nulls", () => {
    const frame = Frame.fromRows(
      [
        { time: new Date(1000), value: 1, host: "a", extra: true },
        { time: new Date(2000), value: 2, host: null },
      ],
      { name: "rows", columns: { value: "int32", host: { type: "string", labels: { l: "1" } } } },
    );
    expect(frame.name).toBe("rows");
    expect(frame.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ["value", "int32", false],
      ["host", "string", true],
      ["time", "time", false],
      ["extra", "bool", true],
    ]);
    expect(frame.field("host")!.labels).toEqual({ l: "1" });
    expect(frame.field("extra")!.toArray()).toEqual([true, null]);
    expect(frame.field("time")!.toArray()).toEqual([1000000000n, 2000000000n]);
  });

  it("infers number → float64, bigint → int64, objects → json, all-null → nullable string", () => {
    const frame = Frame.fromRows([{ n: 1.5, b: 2n, o: { a: 1 }, z: null }]);
    expect(frame.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ["n", "float64", false],
      ["b", "int64", false],
      ["o", "json", false],
      ["z", "string", true],
    ]);
  });

  it("throws a FieldError naming the column for a value of the wrong type", () => {
    expect(() => Frame.fromRows([{ v: 1 }, { v: "x" }], { columns: { v: "float64" } })).toThrow(
      'field "v" at row 1: expected a number for float64, got string "x"',
    );
  });
});

describe("Frame.encode", () => {
  const frame = (refId?: string) =>
    createFrame({
      name: "f",
      ...(refId === undefined ? {} : { refId }),
      fields: [createField("v", "int64", [1n, null])],
    });

  it("returns one Arrow IPC file for format arrow", () => {
    const bytes = frame("A").encode("arrow");
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe("ARROW1");
    expect(framesEqual(frameFromArrow(bytes), frame("A"))).toEqual({ equal: true });
  });

  it("returns UTF-8 frame JSON for format json, honouring include", () => {
    const bytes = frame("A").encode("json");
    expect(framesEqual(frameFromJSON(bytes), frame("A"))).toEqual({ equal: true });
    expect(new TextDecoder().decode(frame("A").encode("json", { include: "data" }))).toBe(
      '{"data":{"values":[[1,null]]}}',
    );
    expect(new TextDecoder().decode(frame("A").encode("json", { include: "schema" }))).toMatch(
      /^\{"schema":/,
    );
  });

  it("uses options.refId only when the frame's own refId is empty", () => {
    expect(frameFromArrow(frame().encode("arrow", { refId: "B" })).refId).toBe("B");
    expect(frameFromArrow(frame("").encode("arrow", { refId: "B" })).refId).toBe("B");
    expect(frameFromArrow(frame("A").encode("arrow", { refId: "B" })).refId).toBe("A");
    expect(frameFromJSON(frame().encode("json", { refId: "B" })).refId).toBe("B");
    expect(frameFromJSON(frame("A").encode("json", { refId: "B" })).refId).toBe("A");
  });

  it("keeps refId mutable for the caller", () => {
    const f = frame();
    f.refId = "Z";
    expect(frameFromArrow(f.encode("arrow")).refId).toBe("Z");
  });

  it("rejects an unknown format", () => {
    expect(() => frame().encode("csv" as "json")).toThrow(/unknown frame format "csv"/);
  });
});

describe("Frame.toString", () => {
  it("prints a readable table with name, dimensions, field headers and values", () => {
    const frame = createFrame({
      name: "Frame One",
      fields: [
        timeField("time", [1568039445123456789n, 0n]),
        numberField("value", [8.26, Number.NaN], { labels: { host: "a", dc: "x" } }),
        stringField("note", ["🦥", null]),
      ],
    });
    expect(frame.toString()).toBe(
      [
        "Name: Frame One",
        "Dimensions: 3 Fields by 2 Rows",
        "+-----------------------------------------+----------------------+-----------------+",
        "| Name: time                              | Name: value          | Name: note      |",
        "| Labels:                                 | Labels: dc=x, host=a | Labels:         |",
        "| Type: []time.Time                       | Type: []float64      | Type: []*string |",
        "+-----------------------------------------+----------------------+-----------------+",
        "| 2019-09-09 14:30:45.123456789 +0000 UTC | 8.26                 | 🦥               |",
        "| 1970-01-01 00:00:00 +0000 UTC           | NaN                  | null            |",
        "+-----------------------------------------+----------------------+-----------------+",
        "",
      ].join("\n"),
    );
  });

  it("truncates long frames with a ... row and wide frames with a ...+N field... column", () => {
    const frame = createFrame({
      fields: Array.from({ length: 4 }, (_, i) =>
        numberField(
          `f${i}`,
          Array.from({ length: 30 }, (_, r) => r),
        ),
      ),
    });
    const lines = frame.toString({ maxRows: 3, maxFields: 3 }).split("\n");
    expect(lines[1]).toBe("Dimensions: 4 Fields by 30 Rows");
    expect(lines[3]).toBe("| Name: f0        | Name: f1        | ...+2 field... |");
    expect(lines.slice(7, 11)).toEqual([
      "| 0               | 0               | ...            |",
      "| 1               | 1               | ...            |",
      "| ...             | ...             | ...            |",
      "+-----------------+-----------------+----------------+",
    ]);
    expect(frame.toString().split("\n")).toHaveLength(2 + 5 + 10 + 1 + 1);
  });
});
