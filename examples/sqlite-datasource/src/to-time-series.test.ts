import { DatabaseSync } from "node:sqlite";
import { fieldValues } from "@gfsdk/in-process/testing";
import { describe, expect, it } from "vitest";
import { runSql } from "./run-sql.js";
import { toTimeSeries } from "./to-time-series.js";

const db = new DatabaseSync(":memory:");
db.exec("CREATE TABLE m (ts INTEGER, host TEXT, dc TEXT, cpu REAL, mem INTEGER)");
db.exec(`INSERT INTO m VALUES
  (60, 'a', 'x', 1.5, 10), (60, 'b', 'x', 2.5, 20),
  (120, 'a', 'x', 3.5, 30), (180, 'b', 'x', 4.5, 40)`);
const table = (sql: string) => runSql(db, sql, { rowLimit: 1000 });
const t = (s: number) => new Date(s * 1000);

describe("toTimeSeries", () => {
  it("makes a long frame wide: one field per value column and key, keys as labels", () => {
    const wide = toTimeSeries(table("SELECT ts AS time, host, cpu, mem FROM m ORDER BY ts"));
    expect(wide.fields.map((f) => [f.name, f.type, f.labels])).toEqual([
      ["Time", "time", undefined],
      ["cpu", "float64", { host: "a" }],
      ["cpu", "float64", { host: "b" }],
      ["mem", "float64", { host: "a" }],
      ["mem", "float64", { host: "b" }],
    ]);
    expect(fieldValues(wide, 0)).toEqual([t(60), t(120), t(180)]);
    // As data.LongToWide without a fill mode: a missing sample of a nullable field is null.
    expect(fieldValues(wide, 1)).toEqual([1.5, 3.5, null]);
    expect(fieldValues(wide, 2)).toEqual([2.5, null, 4.5]);
    expect(fieldValues(wide, 4)).toEqual([20, null, 40]);
  });

  it("names each series after its metric when the frame is time, metric and one value", () => {
    const wide = toTimeSeries(table("SELECT ts AS time, host AS metric, cpu FROM m ORDER BY ts"));
    expect(wide.fields.map((f) => [f.name, f.labels])).toEqual([
      ["Time", undefined],
      ["a", undefined],
      ["b", undefined],
    ]);
  });

  it("keeps a wide frame wide, its values as float64", () => {
    const wide = toTimeSeries(table("SELECT ts AS time, cpu, mem FROM m WHERE host = 'a' ORDER BY ts"));
    expect(wide.fields.map((f) => [f.name, f.type])).toEqual([
      ["Time", "time"],
      ["cpu", "float64"],
      ["mem", "float64"],
    ]);
    expect(fieldValues(wide, "mem")).toEqual([10, 30]);
  });

  it("keeps an empty result as it is", () => {
    const empty = toTimeSeries(table("SELECT ts AS time, host, cpu FROM m WHERE 0"));
    expect(empty.rowCount).toBe(0);
    expect(empty.fields.map((f) => f.name)).toEqual(["Time", "host", "cpu"]);
  });

  it("refuses a frame without a time column, or unsorted rows, as the query's error", () => {
    expect(() => toTimeSeries(table("SELECT host, cpu FROM m"))).toThrow(
      "time series format needs a time column",
    );
    try {
      toTimeSeries(table("SELECT ts AS time, host, cpu FROM m ORDER BY ts DESC"));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, source: "downstream" });
      expect((error as Error).message).toContain("sorted ascending by time");
    }
  });
});
