import { describe, expect, it } from "vitest";
import { toDataQuery } from "./test-query.js";

describe("toDataQuery", () => {
  it("fills Grafana's defaults: 100 points, 1 s interval, a fixed hour of 2024-01-01, empty model", () => {
    const query = toDataQuery({}, "A");
    expect(query).toMatchObject({
      refId: "A",
      queryType: "",
      maxDataPoints: 100n,
      intervalMS: 1000n,
      timeRange: { fromEpochMS: BigInt(Date.UTC(2024, 0, 1)), toEpochMS: BigInt(Date.UTC(2024, 0, 1, 1)) },
    });
    expect(new TextDecoder().decode(query.json)).toBe("{}");
  });

  it("takes Dates or epoch milliseconds for the time range", () => {
    const query = toDataQuery({ timeRange: { from: new Date(1000), to: 2000 }, refId: "Z" }, "A");
    expect(query.refId).toBe("Z");
    expect(query.timeRange).toEqual({ fromEpochMS: 1000n, toEpochMS: 2000n });
  });

  it("refuses an invalid date", () => {
    expect(() => toDataQuery({ timeRange: { from: new Date("nope"), to: 0 } }, "A")).toThrow(
      /timeRange.from is not a valid time/,
    );
  });
});
