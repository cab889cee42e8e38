import { describe, expect, it } from "vitest";
import { frameToArrow } from "../arrow-encode.js";
import { FIELD_TYPES } from "../field-type.js";
import { frameToJSONString } from "../frame-json-encode.js";
import { framesEqual } from "../frames-equal.js";
import { createRandomFrame } from "./random-frame.js";

describe("createRandomFrame", () => {
  it("is deterministic: the same seed gives byte-identical encodings", () => {
    for (const seed of [0, 1, 2, 99, 123456]) {
      const a = createRandomFrame(seed);
      const b = createRandomFrame(seed);
      expect(framesEqual(a, b)).toEqual({ equal: true });
      expect(frameToArrow(a)).toEqual(frameToArrow(b));
      expect(frameToJSONString(a)).toBe(frameToJSONString(b));
    }
  });

  it("gives different frames for different seeds", () => {
    expect(frameToJSONString(createRandomFrame(1))).not.toBe(frameToJSONString(createRandomFrame(2)));
  });

  it("covers every type with its nullable twin on request, with nulls in nullable fields", () => {
    const frame = createRandomFrame(5, { rows: 40, coverAllTypes: true, fields: 0 });
    expect(frame.rowCount).toBe(40);
    for (const type of FIELD_TYPES) {
      expect(
        frame.fields.some((f) => f.type === type && !f.nullable),
        type,
      ).toBe(true);
      const nullable = frame.fields.find((f) => f.type === type && f.nullable)!;
      expect(nullable.nullCount, type).toBeGreaterThan(0);
    }
  });

  it("produces the edge values other implementations must handle", () => {
    const values = (type: string) =>
      Array.from({ length: 60 }, (_, seed) =>
        createRandomFrame(seed, { rows: 30, types: [type as "int64"], nullRatio: 0 }),
      )
        .flatMap((frame) => frame.fields.flatMap((field) => field.toArray()))
        .filter((v) => v !== null);
    const floats = values("float64") as number[];
    expect(floats.some(Number.isNaN)).toBe(true);
    expect(floats).toContain(Infinity);
    expect(floats).toContain(-Infinity);
    const ints = values("int64") as bigint[];
    expect(ints).toContain(-(2n ** 63n));
    expect(ints).toContain(2n ** 63n - 1n);
    expect(values("uint64")).toContain(2n ** 64n - 1n);
    expect((values("string") as string[]).some((s) => s.includes("🦥"))).toBe(true);
    expect((values("time") as bigint[]).some((ns) => ns % 1_000_000n !== 0n)).toBe(true);
  });

  it("honours rows, fields and types", () => {
    const frame = createRandomFrame(3, { rows: 7, fields: 4, types: ["bool"] });
    expect(frame.rowCount).toBe(7);
    expect(frame.fields.map((f) => f.type)).toEqual(["bool", "bool", "bool", "bool"]);
  });
});
