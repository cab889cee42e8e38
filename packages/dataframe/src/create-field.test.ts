import { describe, expect, it } from "vitest";
import { createField } from "./create-field.js";
import { FieldError } from "./field-error.js";

function fieldError(build: () => unknown): FieldError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(FieldError);
    return error as FieldError;
  }
  throw new Error("expected a FieldError");
}

describe("createField", () => {
  it("uses typed storage of the field's type without copying", () => {
    const values = new Float64Array([1, 2, 3]);
    const field = createField("v", "float64", values);
    expect(field.values).toBe(values);
    expect(field.nullable).toBe(false);
    const ns = new BigInt64Array([1n]);
    expect(createField("t", "time", ns).values).toBe(ns);
  });

  it("attaches a validity array to typed storage and makes the field nullable", () => {
    const field = createField("v", "int32", new Int32Array([1, 2, 3]), {
      validity: new Uint8Array([1, 0, 1]),
    });
    expect(field.nullable).toBe(true);
    expect(field.toArray()).toEqual([1, null, 3]);
  });

  it("converts arrays of JS values; null and undefined mark null rows and make the field nullable", () => {
    const field = createField("v", "int16", [1, null, undefined, -32768]);
    expect(field.values).toBeInstanceOf(Int16Array);
    expect(field.nullable).toBe(true);
    expect(field.toArray()).toEqual([1, null, null, -32768]);
  });

  it("keeps a declared nullable field without nulls nullable and without validity", () => {
    const field = createField("v", "uint8", [1, 2], { nullable: true });
    expect(field.nullable).toBe(true);
    expect(field.validity).toBeUndefined();
  });

  it("accepts Date, epoch milliseconds (with fractions) and bigint nanoseconds for time", () => {
    const field = createField("t", "time", [new Date(1500), 1500.000001, 1500123456789n, -0.5, 1.7e12]);
    expect(field.toArray()).toEqual([
      1500000000n,
      1500000001n,
      1500123456789n,
      -500000n,
      1700000000000000000n,
    ]);
  });

  it("converts a Float64Array of epoch milliseconds for time", () => {
    expect(createField("t", "time", new Float64Array([0, -1, 1e12])).toArray()).toEqual([
      0n,
      -1000000n,
      10n ** 18n,
    ]);
  });

  it("accepts bigint and safe numbers for 64-bit integers and keeps extremes exact", () => {
    const field = createField("i", "int64", [-(2n ** 63n), 2n ** 63n - 1n, 42]);
    expect(field.toArray()).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 42n]);
    expect(createField("u", "uint64", [2n ** 64n - 1n]).at(0)).toBe(2n ** 64n - 1n);
  });

  it("maps enum names through enumText and stores it in config.type.enum.text", () => {
    const field = createField("e", "enum", ["OK", 1, "OK"], { enumText: ["OK", "FAIL"] });
    expect(field.toArray()).toEqual([0, 1, 0]);
    expect(field.config).toEqual({ type: { enum: { text: ["OK", "FAIL"] } } });
  });

  it("keeps null as a JSON value in a json field declared non-nullable", () => {
    const field = createField("j", "json", [{ a: 1 }, null], { nullable: false });
    expect(field.nullable).toBe(false);
    expect(field.toArray()).toEqual([{ a: 1 }, null]);
  });

  it("throws a FieldError naming the field and row for a value of the wrong type", () => {
    // Untyped input, as from JavaScript callers or parsed data.
    const untyped = (values: unknown[]) => values as never;
    const error = fieldError(() => createField("temperature", "float64", untyped([1, "2"])));
    expect(error.message).toBe('field "temperature" at row 1: expected a number for float64, got string "2"');
    expect(error.fieldName).toBe("temperature");
    expect(error.row).toBe(1);
    expect(fieldError(() => createField("s", "string", untyped(["a", 1]))).message).toMatch(
      /field "s" at row 1: expected a string/,
    );
    expect(fieldError(() => createField("b", "bool", untyped([1]))).message).toMatch(
      /field "b" at row 0: expected a boolean/,
    );
    expect(fieldError(() => createField("t", "time", untyped(["2024-01-01"]))).message).toMatch(
      /field "t" at row 0: expected a Date/,
    );
    expect(fieldError(() => createField("j", "json", [() => 1])).message).toMatch(
      /field "j" at row 0: expected a JSON value/,
    );
  });

  it("throws a FieldError for integers out of range or with fractions", () => {
    expect(fieldError(() => createField("i8", "int8", [128])).message).toMatch(
      /field "i8" at row 0: number 128 is not an int8/,
    );
    expect(fieldError(() => createField("u32", "uint32", [-1])).message).toMatch(/field "u32"/);
    expect(fieldError(() => createField("i32", "int32", [1.5])).message).toMatch(/field "i32"/);
    expect(fieldError(() => createField("i64", "int64", [2n ** 63n])).message).toMatch(
      /field "i64" at row 0: .*out of range/,
    );
    expect(fieldError(() => createField("i64", "int64", [0.5])).message).toMatch(/field "i64"/);
    expect(fieldError(() => createField("e", "enum", ["MISSING"], { enumText: ["OK"] })).message).toMatch(
      /field "e" at row 0: enum value "MISSING" is not in the enum text/,
    );
  });

  it("throws a FieldError for invalid times", () => {
    expect(fieldError(() => createField("t", "time", [new Date(Number.NaN)])).message).toMatch(
      /field "t" at row 0: .*not a valid date/,
    );
    expect(fieldError(() => createField("t", "time", [2n ** 63n])).message).toMatch(
      /field "t" at row 0: .*outside the int64 range/,
    );
    expect(fieldError(() => createField("t", "time", new Float64Array([Number.NaN]))).message).toMatch(
      /field "t" at row 0/,
    );
  });

  it("throws a FieldError for a null in a field declared non-nullable", () => {
    expect(fieldError(() => createField("v", "float64", [1, null], { nullable: false })).message).toBe(
      'field "v" at row 1: null in a field that is not nullable',
    );
  });

  it("throws a FieldError for values that are not an array", () => {
    expect(fieldError(() => createField("v", "float64", 5 as unknown as number[])).message).toMatch(
      /field "v": values must be an array/,
    );
  });
});

describe("createField (time from a Float64Array of epoch milliseconds)", () => {
  it("keeps sub-millisecond parts to the nanosecond, as toEpochNanos does per value", async () => {
    const { toEpochNanos } = await import("./epoch-nanos.js");
    const ms = Float64Array.of(
      0,
      1.5,
      -1.25,
      1_700_000_000_000.25,
      1_767_225_600_001.999,
      -9_223_372_036_854,
      -0.000001,
      9_223_372_036_854,
    );
    const field = createField("t", "time", ms);
    expect(Array.from(field.values as BigInt64Array)).toEqual(Array.from(ms, (v) => toEpochNanos(v)));
  });
});
