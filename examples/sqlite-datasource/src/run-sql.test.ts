import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { GrafanaConfig } from "@gfsdk/core";
import { frameRows } from "@gfsdk/in-process/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSampleDatabase } from "./create-sample-database.js";
import { openDatabase } from "./open-database.js";
import { defaultRowLimit, rowLimitOf } from "./run-query.js";
import { runSql } from "./run-sql.js";

let dir: string;
let db: DatabaseSync;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gfsdk-sqlite-"));
  createSampleDatabase(join(dir, "sample.db"), { samples: 3 });
  db = openDatabase(join(dir, "sample.db"));
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("runSql", () => {
  it("answers rows as a frame typed from the values, the query in meta", () => {
    const sql =
      "SELECT ts AS time, host, cpu, 7 AS n, ok FROM metrics LEFT JOIN events ON id = 1 WHERE host = 'a' ORDER BY ts";
    const frame = runSql(db, sql, { rowLimit: 100 });
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ["time", "time"],
      ["host", "string"],
      ["cpu", "float64"],
      ["n", "int64"],
      ["ok", "bool"],
    ]);
    expect(frameRows(frame)).toEqual(
      [0, 1, 2].map((i) => ({
        time: new Date((1_714_521_600 + i * 60) * 1000),
        host: "a",
        cpu: i,
        n: 7,
        ok: true,
      })),
    );
    expect(frame.meta).toEqual({ executedQueryString: sql });
  });

  it("parses ISO text in a column named time, and keeps NULLs", () => {
    const frame = runSql(db, "SELECT at AS time, message FROM events ORDER BY id", { rowLimit: 100 });
    expect(frameRows(frame)).toEqual([
      { time: new Date("2024-05-01T00:00:00Z"), message: "deployed" },
      { time: new Date("2024-05-01T00:10:00Z"), message: "alert fired" },
      { time: new Date("2024-05-01T00:20:00Z"), message: null },
    ]);
  });

  it("keeps int64 values beyond 2^53 exact", () => {
    const frame = runSql(db, "SELECT 9007199254740993 AS big", { rowLimit: 1 });
    expect(frame.fields[0]!.at(0)).toBe(9_007_199_254_740_993n);
  });

  it("reads at most rowLimit rows and says so in a warning notice", () => {
    const frame = runSql(db, "SELECT * FROM metrics", { rowLimit: 4 });
    expect(frame.rowCount).toBe(4);
    expect(frame.meta?.notices).toEqual([
      { severity: "warning", text: "Results have been limited to 4 because the SQL row limit was reached" },
    ]);
    expect(runSql(db, "SELECT * FROM metrics", { rowLimit: 6 }).meta?.notices).toBeUndefined();
  });

  it("throws SQLite's error for bad SQL, and refuses writes, ATTACH and a second statement", () => {
    expect(() => runSql(db, "SELEC 1", { rowLimit: 1 })).toThrow('near "SELEC": syntax error');
    expect(() => runSql(db, "SELECT * FROM nope", { rowLimit: 1 })).toThrow("no such table: nope");
    expect(() => runSql(db, "DELETE FROM metrics", { rowLimit: 1 })).toThrow("readonly database");
    expect(() => runSql(db, `ATTACH '${join(dir, "other.db")}' AS other`, { rowLimit: 1 })).toThrow(
      "not authorized",
    );
    expect(() => runSql(db, "SELECT 1; DELETE FROM metrics", { rowLimit: 1 })).toThrow("one SQL statement");
    expect(runSql(db, "SELECT count(*) AS n FROM metrics", { rowLimit: 1 }).fields[0]!.at(0)).toBe(6n);
  });
});

describe("rowLimitOf", () => {
  it("takes GF_SQL_ROW_LIMIT when positive, else Grafana's default", () => {
    expect(rowLimitOf(new GrafanaConfig({ GF_SQL_ROW_LIMIT: "500" }))).toBe(500);
    expect(rowLimitOf(new GrafanaConfig({}))).toBe(defaultRowLimit);
    expect(rowLimitOf(new GrafanaConfig({ GF_SQL_ROW_LIMIT: "0" }))).toBe(1_000_000);
    expect(rowLimitOf(new GrafanaConfig({ GF_SQL_ROW_LIMIT: "-5" }))).toBe(1_000_000);
    expect(rowLimitOf(new GrafanaConfig({ GF_SQL_ROW_LIMIT: "many" }))).toBe(1_000_000);
  });
});
