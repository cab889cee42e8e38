import { describe, expect, it } from "vitest";
import {
  floorDiv,
  int32Halves,
  nanosToDate,
  readNanosAsMillis,
  toEpochNanos,
  writeMillisAsNanos,
} from "./epoch-nanos.js";

describe("toEpochNanos", () => {
  it("converts Date, epoch ms (fractions kept) and bigint ns", () => {
    expect(toEpochNanos(new Date("2019-09-09T14:30:45.123Z"))).toBe(1568039445123000000n);
    expect(toEpochNanos(1.5)).toBe(1500000n);
    expect(toEpochNanos(-1.5)).toBe(-1500000n);
    expect(toEpochNanos(5n)).toBe(5n);
  });

  it("rejects invalid dates and values outside the int64 nanosecond range", () => {
    expect(() => toEpochNanos(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => toEpochNanos(Infinity)).toThrow(RangeError);
    expect(() => toEpochNanos(9223372036855)).toThrow(/outside the int64 nanosecond range/);
    expect(() => toEpochNanos(2n ** 63n)).toThrow(/outside the int64 range/);
  });
});

describe("nanosToDate", () => {
  it("floors to milliseconds, also before 1970", () => {
    expect(nanosToDate(1999999n).getTime()).toBe(1);
    expect(nanosToDate(-1n).getTime()).toBe(-1);
  });
});

describe("floorDiv", () => {
  it("rounds toward negative infinity", () => {
    expect([floorDiv(7n, 2n), floorDiv(-7n, 2n), floorDiv(-6n, 2n), floorDiv(7n, -2n)]).toEqual([
      3n,
      -4n,
      -3n,
      -4n,
    ]);
  });
});

describe("writeMillisAsNanos", () => {
  it("matches bigint arithmetic for random and extreme milliseconds", () => {
    const out = new BigInt64Array(1);
    const halves = int32Halves(out);
    let state = 7;
    const samples = [0, -1, 1, 9223372036854, -9223372036854, 2097151, -2097152, 1568039445123];
    for (let i = 0; i < 2000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      samples.push(Math.round((state / 2 ** 32 - 0.5) * 2 * 9223372036854));
    }
    for (const ms of samples) {
      const sub = Math.abs(ms) % 1000000;
      expect(writeMillisAsNanos(halves, 0, ms, sub), String(ms)).toBe(true);
      expect(out[0], String(ms)).toBe(BigInt(ms) * 1000000n + BigInt(sub));
    }
  });

  it("reports overflow instead of wrapping", () => {
    const halves = int32Halves(new BigInt64Array(1));
    expect(writeMillisAsNanos(halves, 0, 9223372036854, 999999)).toBe(false);
  });
});

describe("readNanosAsMillis", () => {
  it("splits nanoseconds into floored ms and a 0–999999 remainder", () => {
    const values = new BigInt64Array([
      -1n,
      0n,
      1n,
      -(2n ** 63n),
      2n ** 63n - 1n,
      1568039445123456789n,
      -1000000n,
    ]);
    const halves = int32Halves(values);
    const out = { ms: 0, nanos: 0 };
    const parts = [...values.keys()].map((row) => {
      readNanosAsMillis(values, halves, row, out);
      return [out.ms, out.nanos];
    });
    expect(parts).toEqual([
      [-1, 999999],
      [0, 0],
      [0, 1],
      [-9223372036855, 224192],
      [9223372036854, 775807],
      [1568039445123, 456789],
      [-1, 0],
    ]);
  });
});
