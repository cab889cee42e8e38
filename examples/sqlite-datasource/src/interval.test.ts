import { describe, expect, it } from "vitest";
import { formatInterval, parseInterval } from "./interval.js";

describe("parseInterval", () => {
  it("reads a number and a unit, quoted or not, and sums several", () => {
    expect(parseInterval("5m")).toBe(300_000);
    expect(parseInterval("'1h'")).toBe(3_600_000);
    expect(parseInterval(' "250ms" ')).toBe(250);
    expect(parseInterval("1h30m")).toBe(5_400_000);
    expect(parseInterval("2d")).toBe(172_800_000);
  });

  it("refuses text that is not an interval, naming it", () => {
    expect(() => parseInterval("5 minutes")).toThrow('invalid interval "5 minutes"');
    expect(() => parseInterval("")).toThrow("invalid interval");
    expect(() => parseInterval("5m; DROP TABLE x")).toThrow("invalid interval");
  });
});

describe("formatInterval", () => {
  it("writes the largest whole unit, as Grafana's $__interval", () => {
    expect(formatInterval(90_000)).toBe("1m");
    expect(formatInterval(1000)).toBe("1s");
    expect(formatInterval(20)).toBe("20ms");
    expect(formatInterval(7_200_000)).toBe("2h");
    expect(formatInterval(86_400_000 * 3)).toBe("3d");
    expect(formatInterval(0)).toBe("1ms");
  });
});
