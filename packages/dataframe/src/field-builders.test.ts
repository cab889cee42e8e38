import { describe, expect, it } from "vitest";
import { boolField, enumField, jsonField, numberField, stringField, timeField } from "./field-builders.js";

describe("numberField", () => {
  it("infers the type from the typed array and uses it without copying", () => {
    const cases: Array<[ArrayLike<number | bigint>, string]> = [
      [new Int8Array(1), "int8"],
      [new Int16Array(1), "int16"],
      [new Int32Array(1), "int32"],
      [new BigInt64Array(1), "int64"],
      [new Uint8Array(1), "uint8"],
      [new Uint16Array(1), "uint16"],
      [new Uint32Array(1), "uint32"],
      [new BigUint64Array(1), "uint64"],
      [new Float32Array(1), "float32"],
      [new Float64Array(1), "float64"],
    ];
    for (const [values, type] of cases) {
      const field = numberField("n", values as Float64Array);
      expect(field.type).toBe(type);
      expect(field.values).toBe(values);
    }
  });

  it("defaults plain numbers to float64 and bigints to int64, or uses the declared type", () => {
    expect(numberField("n", [null, 1.5]).type).toBe("float64");
    expect(numberField("n", [null, 1n]).type).toBe("int64");
    expect(numberField("n", [1, 2], { type: "uint16" }).values).toEqual(new Uint16Array([1, 2]));
  });
});

describe("timeField", () => {
  it("builds a time field from Dates", () => {
    expect(timeField("t", [new Date("2024-01-02T03:04:05.678Z")]).at(0)).toBe(1704164645678000000n);
  });
});

describe("stringField", () => {
  it("builds a string field with nulls", () => {
    const field = stringField("s", ["🦥", null]);
    expect(field.nullable).toBe(true);
    expect(field.toArray()).toEqual(["🦥", null]);
  });
});

describe("boolField", () => {
  it("builds a bool field from booleans or from 0/1 bytes", () => {
    expect(boolField("b", [true, false]).values).toEqual(new Uint8Array([1, 0]));
    const bytes = new Uint8Array([0, 1]);
    expect(boolField("b", bytes).values).toBe(bytes);
  });
});

describe("jsonField", () => {
  it("builds a json field; null is a null row unless the field is declared non-nullable", () => {
    expect(jsonField("j", [{ a: 1 }, null]).nullable).toBe(true);
    const strict = jsonField("j", [{ a: 1 }, null], { nullable: false });
    expect(strict.nullable).toBe(false);
    expect(strict.at(1)).toBeNull();
  });
});

describe("enumField", () => {
  it("stores value names in config.type.enum.text and maps names to indices", () => {
    const field = enumField("e", ["B", "A", null], { text: ["A", "B"], config: { unit: "x" } });
    expect(field.toArray()).toEqual([1, 0, null]);
    expect(field.config).toEqual({ unit: "x", type: { enum: { text: ["A", "B"] } } });
  });
});
