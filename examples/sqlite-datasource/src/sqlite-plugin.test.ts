import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPluginTester, fieldValues, frameRows } from "@gfsdk/in-process/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createSampleDatabase } from "./create-sample-database.js";
import { sqlitePlugin, sqlitePluginId } from "./sqlite-plugin.js";

const dir = mkdtempSync(join(tmpdir(), "gfsdk-sqlite-plugin-"));
const path = join(dir, "sample.db");
createSampleDatabase(path);

const tester = createPluginTester(sqlitePlugin, {
  pluginId: sqlitePluginId,
  settings: { jsonData: { path } },
});
// The sample's first hour, one row a minute per host.
const timeRange = { from: new Date("2024-05-01T00:00:00Z"), to: new Date("2024-05-01T00:59:00Z") };

afterAll(async () => {
  await tester.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sqlitePlugin", () => {
  it("reports a working database in its health check", async () => {
    expect(await tester.checkHealth()).toMatchObject({
      status: "OK",
      message: `Database ${path} is working: 2 tables and views`,
    });
  });

  it("reports bad settings and an unopenable file as health errors naming them", async () => {
    const health = (jsonData: object, uid: string) =>
      tester.checkHealth({ settings: { uid, jsonData: jsonData as { path: string } } });
    expect(await health({}, "none")).toMatchObject({
      status: "ERROR",
      message: expect.stringContaining("path"),
    });
    expect(await health({ path: "rel.db" }, "relative")).toMatchObject({
      status: "ERROR",
      message:
        "invalid jsonData: path: must be an absolute path (the plugin's working directory is Grafana's)",
    });
    expect(await health({ path: join(dir, "missing.db") }, "missing")).toMatchObject({
      status: "ERROR",
      message: expect.stringContaining(`cannot open the database ${join(dir, "missing.db")}`),
    });
  });

  it("answers a query as a table frame, with the macros expanded", async () => {
    const result = await tester.query({
      timeRange,
      model: {
        rawSql:
          "SELECT ts AS time, cpu FROM metrics WHERE host = 'a' AND $__timeFilter(ts) ORDER BY ts LIMIT 2",
      },
    });
    expect(result).toMatchObject({ status: 200, error: undefined });
    expect(frameRows(result.frames[0]!)).toEqual([
      { time: new Date("2024-05-01T00:00:00Z"), cpu: 0 },
      { time: new Date("2024-05-01T00:01:00Z"), cpu: 1 },
    ]);
    expect(result.frames[0]!.meta?.executedQueryString).toContain("ts BETWEEN 1714521600 AND 1714525140");
  });

  it("answers format time_series as a wide frame, one series per host", async () => {
    const result = await tester.query({
      timeRange,
      intervalMs: 600_000,
      model: {
        format: "time_series",
        rawSql:
          "SELECT $__timeGroupAlias(ts, $__interval), host, max(cpu) AS cpu FROM metrics WHERE $__timeFilter(ts) GROUP BY 1, 2 ORDER BY 1",
      },
    });
    const frame = result.frames[0]!;
    expect(frame.fields.map((f) => [f.name, f.labels])).toEqual([
      ["Time", undefined],
      ["cpu", { host: "a" }],
      ["cpu", { host: "b" }],
    ]);
    expect(fieldValues(frame, 1)).toEqual([9, 19, 29, 39, 49, 59]);
    expect(fieldValues(frame, 2)).toEqual([18, 38, 58, 78, 98, 118]);
  });

  it("cuts at GF_SQL_ROW_LIMIT with a notice, never silently", async () => {
    const result = await tester.query({
      model: { rawSql: "SELECT * FROM metrics" },
      grafanaConfig: { GF_SQL_ROW_LIMIT: "10" },
    });
    expect(result.frames[0]!.rowCount).toBe(10);
    expect(result.frames[0]!.meta?.notices).toEqual([
      { severity: "warning", text: "Results have been limited to 10 because the SQL row limit was reached" },
    ]);
  });

  it("answers bad SQL as that query's downstream error, and the other queries still", async () => {
    const results = await tester.queryData([
      { refId: "A", model: { rawSql: "SELECT nope FROM metrics" } },
      { refId: "B", model: { rawSql: "SELECT count(*) AS n FROM metrics" } },
    ]);
    expect(results.A).toMatchObject({
      status: 400,
      errorSource: "downstream",
      error: "SQLite: no such column: nope",
    });
    expect(results.B).toMatchObject({ status: 200 });
    expect(fieldValues(results.B!.frames[0]!, "n")).toEqual([120]);
  });

  it("answers a value its column cannot hold as the query's downstream error naming the column", async () => {
    expect(await tester.query({ model: { rawSql: "SELECT 'soon' AS time" } })).toMatchObject({
      status: 400,
      errorSource: "downstream",
      error: 'field "time" at row 0: cannot parse time "soon"',
    });
  });

  it("answers an invalid query model as a plugin error naming the field", async () => {
    expect(await tester.query({ model: { rawSql: "SELECT 1", format: "graph" } })).toMatchObject({
      status: 400,
      errorSource: "plugin",
      error: expect.stringMatching(/^invalid query model for refId "A": format: /),
    });
    expect(await tester.query({ model: {} })).toMatchObject({
      status: 400,
      error: expect.stringMatching(/^invalid query model for refId "A": rawSql: /),
    });
  });

  it("lists tables and a table's columns as resources; unknown ones are 404", async () => {
    const tables = await tester.callResource({ path: "tables" });
    expect(tables.status).toBe(200);
    expect(tables.json()).toEqual([
      { name: "events", type: "table" },
      { name: "metrics", type: "table" },
    ]);
    expect((await tester.callResource({ path: "tables/events/columns" })).json()).toEqual([
      { name: "id", type: "INTEGER" },
      { name: "at", type: "TEXT" },
      { name: "message", type: "TEXT" },
      { name: "ok", type: "BOOLEAN" },
    ]);
    expect((await tester.callResource({ path: "tables/nope/columns" })).status).toBe(404);
    expect((await tester.callResource({ path: "other" })).status).toBe(404);
  });
});
