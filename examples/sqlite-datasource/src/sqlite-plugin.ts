import { definePlugin, HealthStatus, PluginError } from "@gfsdk/core";
import type { z } from "zod";
import { listColumns, listTables } from "./list-tables.js";
import { rowLimitOf, runQuery } from "./run-query.js";
import { SqliteConnection } from "./sqlite-connection.js";
import { type SqliteJsonData, sqliteJsonData, sqliteQueryModel } from "./sqlite-settings.js";

/** The plugin id of the SQLite data source, as in its plugin.json. */
export const sqlitePluginId = "gfsdk-sqlite-datasource";

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new PluginError(`${what}: ${issues.join("; ")}`, { status: 400 });
}

/** The SQLite data source: SQL over `node:sqlite` with Grafana's SQL macros. */
export const sqlitePlugin = definePlugin<SqliteJsonData, Record<string, string>, SqliteConnection>({
  createInstance: ({ dataSourceInstanceSettings }) =>
    new SqliteConnection(
      parse(sqliteJsonData, dataSourceInstanceSettings?.jsonData ?? {}, "invalid jsonData").path,
    ),
  disposeInstance: (connection) => connection.close(),

  checkHealth({ instance }) {
    const tables = listTables(instance.db);
    instance.db.prepare("SELECT 1").get();
    return {
      status: HealthStatus.OK,
      message: `Database ${instance.path} is working: ${tables.length} tables and views`,
    };
  },

  queryData(query, { instance, pluginContext }) {
    const model = parse(sqliteQueryModel, query.model, `invalid query model for refId "${query.refId}"`);
    const rowLimit = rowLimitOf(pluginContext.grafanaConfig);
    return [
      runQuery(instance.db, { model, timeRange: query.timeRange, intervalMs: query.intervalMs }, rowLimit),
    ];
  },

  callResource(request, { instance, path }) {
    const pathname = `/${path.replace(/^\/+/, "")}`;
    const columns = /^\/tables\/([^/]+)\/columns$/.exec(pathname);
    if (request.method === "GET" && pathname === "/tables") return Response.json(listTables(instance.db));
    if (request.method === "GET" && columns) {
      const found = listColumns(instance.db, decodeURIComponent(columns[1]!));
      return found === undefined
        ? Response.json({ error: "no such table" }, { status: 404 })
        : Response.json(found);
    }
    return new Response("not found", { status: 404 });
  },
});
