import { describe, expect, it } from "vitest";
import { Field } from "./field.js";
import { FieldError } from "./field-error.js";

describe("Field", () => {
  it("wraps storage and reports length, nulls and values", () => {
    const field = new Field({
      name: "v",
      type: "bool",
      values: new Uint8Array([1, 0, 1]),
      validity: new Uint8Array([1, 1, 0]),
    });
    expect(field.length).toBe(3);
    expect(field.nullable).toBe(true);
    expect(field.nullCount).toBe(1);
    expect(field.isNull(2)).toBe(true);
    expect(field.toArray()).toEqual([true, false, null]);
  });

  it("throws a FieldError naming the field when storage does not match the type", () => {
    expect(
      () => new Field({ name: "v", type: "int32", values: new Float64Array(1) as unknown as Int32Array }),
    ).toThrow('field "v": values for type int32 must be stored in Int32Array, got Float64Array');
    expect(() => new Field({ name: "t", type: "time", values: [1] as unknown as BigInt64Array })).toThrow(
      FieldError,
    );
  });

  it("rejects a validity array on a non-nullable field or with the wrong length", () => {
    expect(
      () =>
        new Field({
          name: "v",
          type: "uint8",
          values: new Uint8Array(2),
          nullable: false,
          validity: new Uint8Array(2),
        }),
    ).toThrow(/not nullable/);
    expect(
      () => new Field({ name: "v", type: "uint8", values: new Uint8Array(2), validity: new Uint8Array(3) }),
    ).toThrow(/validity has 3 entries but the field has 2 values/);
  });

  it("rejects labels that are not strings", () => {
    expect(
      () =>
        new Field({
          name: "v",
          type: "string",
          values: [],
          labels: { a: 1 } as unknown as Record<string, string>,
        }),
    ).toThrow('field "v": label "a" must be a string, got number');
  });

  it("throws a RangeError for rows outside the field", () => {
    const field = new Field({ name: "v", type: "string", values: ["a"] });
    expect(() => field.at(1)).toThrow(RangeError);
    expect(() => field.at(-1)).toThrow(RangeError);
  });
});
