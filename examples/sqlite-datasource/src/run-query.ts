import type { DatabaseSync } from "node:sqlite";
import { DownstreamError, type GrafanaConfig, type TimeRange } from "@gfsdk/core";
import { FieldError, type Frame } from "@gfsdk/dataframe";
import { expandMacros } from "./expand-macros.js";
import { runSql } from "./run-sql.js";
import type { SqliteQueryModel } from "./sqlite-settings.js";
import { toTimeSeries } from "./to-time-series.js";

/**
 * Grafana's `[dataproxy] row_limit` default, used when the host sends no `GF_SQL_ROW_LIMIT`
 * (older Grafana versions, or a limit of 0, which Grafana does not send).
 */
export const defaultRowLimit = 1_000_000;

/** The row limit of a request: `GF_SQL_ROW_LIMIT` when it is a positive number, else {@link defaultRowLimit}. */
export function rowLimitOf(config: GrafanaConfig): number {
  const limit = config.sql.rowLimit;
  return limit !== undefined && Number.isInteger(limit) && limit > 0 ? limit : defaultRowLimit;
}

/** One query as {@link runQuery} needs it. */
export interface SqliteQuery {
  model: SqliteQueryModel;
  timeRange: TimeRange;
  /** Grafana's suggested interval, in ms (`$__interval`). */
  intervalMs: number;
}

/**
 * Expands the macros of the query's SQL, runs it and answers one frame: the table, or the time series
 * for `format: "time_series"`. SQLite's own errors (bad SQL, a missing table, a locked file) are the
 * query's 400 `downstream` errors: the SQL is the user's, SQLite the system queried.
 */
export function runQuery(db: DatabaseSync, query: SqliteQuery, rowLimit: number): Frame {
  const sql = expandMacros(query.model.rawSql, {
    from: query.timeRange.from,
    to: query.timeRange.to,
    intervalMs: query.intervalMs,
  });
  let table: Frame;
  try {
    table = runSql(db, sql, { rowLimit });
  } catch (error) {
    // A value the column's type cannot hold (text that is no date in a `time` column) is the data's.
    if (error instanceof FieldError) throw new DownstreamError(error.message, { status: 400, cause: error });
    if ((error as { code?: unknown }).code === "ERR_SQLITE_ERROR")
      throw new DownstreamError(`SQLite: ${(error as Error).message}`, { status: 400, cause: error });
    throw error;
  }
  return query.model.format === "time_series" ? toTimeSeries(table) : table;
}
