import { definePlugin, HealthStatus, PluginError } from "@gfsdk/core";
import { listColumns, listTables } from "./list-tables.js";
import { rowLimitOf, runQuery } from "./run-query.js";
import { SqliteConnection } from "./sqlite-connection.js";
import { sqliteJsonData, sqliteQueryModel } from "./sqlite-settings.js";

/** The plugin id of the SQLite data source, as in its plugin.json. */
export const sqlitePluginId = "gfsdk-sqlite-datasource";

/**
 * The SQLite data source: SQL over `node:sqlite` with Grafana's SQL macros, settings checked by
 * {@link sqliteJsonData}, one connection per data source.
 */
export const sqlitePlugin = definePlugin({
  jsonData: sqliteJsonData,
  createInstance: ({ jsonData }) => new SqliteConnection(jsonData.path),
  disposeInstance: (connection) => connection.close(),

  checkHealth({ instance }) {
    try {
      const tables = listTables(instance.db);
      instance.db.prepare("SELECT 1").get();
      return {
        status: HealthStatus.OK,
        message: `Database ${instance.path} is working: ${tables.length} tables and views`,
      };
    } catch (error) {
      return { status: HealthStatus.ERROR, message: (error as Error).message, errorSource: "downstream" };
    }
  },

  // Grafana's SQL query editors send no queryType: one handler answers every query.
  queryTypes: {
    "": {
      model: sqliteQueryModel,
      query: (query, { instance, pluginContext }) => [
        runQuery(instance.db, query, rowLimitOf(pluginContext.grafanaConfig)),
      ],
    },
  },

  routes: {
    "GET /tables": (_request, { instance }) => Response.json(listTables(instance.db)),
    "GET /tables/:name/columns": (_request, { instance, params }) => {
      const columns = listColumns(instance.db, params.name);
      if (columns === undefined)
        throw new PluginError(`no table or view named ${JSON.stringify(params.name)}`, { status: 404 });
      return Response.json(columns);
    },
  },
});
