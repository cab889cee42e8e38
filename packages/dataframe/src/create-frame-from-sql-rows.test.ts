import { describe, expect, it } from "vitest";
import { createFrameFromSqlRows } from "./create-frame-from-sql-rows.js";
import { FieldError } from "./field-error.js";

describe("createFrameFromSqlRows", () => {
  it("converts typical driver values to the declared column types", () => {
    const frame = createFrameFromSqlRows(
      [
        { name: "ts", type: "time" },
        { name: "id", type: "int64", nullable: false },
        { name: "price", type: "float64" },
        { name: "active", type: "bool" },
        { name: "name", type: "string" },
        { name: "doc", type: "json" },
      ],
      [
        ["2024-01-02 03:04:05.123456789", "9223372036854775807", "1.25", "t", "a", '{"k":[1,2]}'],
        [new Date(1000), 5, "NaN", 0, 42, new TextEncoder().encode("[true]")],
        ["2024-01-02T03:04:05+02:00", 7n, null, null, null, null],
      ],
      { name: "sql", refId: "A" },
    );
    expect(frame.name).toBe("sql");
    expect(frame.refId).toBe("A");
    expect(frame.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ["ts", "time", true],
      ["id", "int64", false],
      ["price", "float64", true],
      ["active", "bool", true],
      ["name", "string", true],
      ["doc", "json", true],
    ]);
    expect(frame.field("ts")!.toArray()).toEqual([1704164645123456789n, 1000000000n, 1704157445000000000n]);
    expect(frame.field("id")!.toArray()).toEqual([9223372036854775807n, 5n, 7n]);
    expect(frame.field("price")!.toArray()).toEqual([1.25, Number.NaN, null]);
    expect(frame.field("active")!.toArray()).toEqual([true, false, null]);
    expect(frame.field("name")!.toArray()).toEqual(["a", "42", null]);
    expect(frame.field("doc")!.toArray()).toEqual([{ k: [1, 2] }, [true], null]);
  });

  it("throws a FieldError naming the column and row for values that cannot be converted", () => {
    const columns = [{ name: "n", type: "int32" as const }];
    expect(() => createFrameFromSqlRows(columns, [[1], ["abc"]])).toThrow(FieldError);
    expect(() => createFrameFromSqlRows(columns, [[1], ["abc"]])).toThrow(
      /field "n" at row 1: cannot convert string "abc" to int32/,
    );
    expect(() => createFrameFromSqlRows(columns, [["1.5"]])).toThrow(/field "n" at row 0/);
    expect(() => createFrameFromSqlRows([{ name: "b", type: "bool" }], [["maybe"]])).toThrow(
      /field "b" at row 0: cannot convert/,
    );
    expect(() => createFrameFromSqlRows([{ name: "v", type: "float64", nullable: false }], [[null]])).toThrow(
      /field "v" at row 0: null in a field that is not nullable/,
    );
  });

  it("rejects rows that do not match the columns", () => {
    expect(() => createFrameFromSqlRows([{ name: "a", type: "string" }], [["x", "y"]])).toThrow(
      /row 0 must be an array of 1 values/,
    );
  });
});
