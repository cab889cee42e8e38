import type { DatabaseSync } from "node:sqlite";
import { createFrameFromSqlRows, type FieldType, type Frame, type SqlColumn } from "@gfsdk/dataframe";
import { assertSingleStatement } from "./assert-single-statement.js";

/** Options of {@link runSql}. */
export interface RunSqlOptions {
  /** At most this many rows are read; more makes a warning notice on the frame. */
  rowLimit: number;
}

/** Names Grafana's SQL data sources treat as the time column. */
const timeColumnNames = new Set(["time", "time_sec"]);

/**
 * The field type of one result column. SQLite types values, not columns, so the values decide
 * (integers → int64, any REAL → float64, any text or blob → string); a column named `time` or
 * `time_sec`, or declared DATE/TIME/DATETIME/TIMESTAMP, is a time; a declared BOOL(EAN) column of
 * 0/1 is a bool; a column of only NULLs takes its declared type's affinity (string when none).
 */
function columnType(name: string, declared: string | null, values: unknown[]): FieldType {
  const decl = (declared ?? "").toUpperCase();
  if (timeColumnNames.has(name) || /DATE|TIME/.test(decl)) return "time";
  const present = values.filter((v) => v !== null);
  if (decl.includes("BOOL") && present.every((v) => v === 0n || v === 1n)) return "bool";
  if (present.length === 0) {
    if (decl.includes("INT")) return "int64";
    if (/REAL|FLOA|DOUB|NUM|DEC/.test(decl)) return "float64";
    return "string";
  }
  if (present.every((v) => typeof v === "bigint")) return "int64";
  if (present.every((v) => typeof v === "bigint" || typeof v === "number")) return "float64";
  return "string";
}

/** Numbers in a time column are Unix epoch seconds (fractions kept); text is parsed as a date. */
function timeValue(value: unknown): unknown {
  if (typeof value === "bigint") return new Date(Number(value) * 1000);
  if (typeof value === "number") return new Date(value * 1000);
  return value;
}

/**
 * Runs one SQL statement and returns its rows as a table frame, fields typed as {@link columnType}
 * says, `meta.executedQueryString` set. When the statement yields more than `rowLimit` rows only
 * `rowLimit` are read and the frame carries a warning notice saying so, Grafana's text. Throws
 * SQLite's error (with its `code`, `errcode`, `errstr`) for bad SQL, and a 400 PluginError for
 * more than one statement.
 */
export function runSql(db: DatabaseSync, sql: string, options: RunSqlOptions): Frame {
  assertSingleStatement(sql);
  const statement = db.prepare(sql);
  statement.setReturnArrays(true);
  // int64 values beyond 2^53 stay exact.
  statement.setReadBigInts(true);
  const rows: unknown[][] = [];
  let truncated = false;
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    if (rows.length === options.rowLimit) {
      truncated = true;
      break;
    }
    rows.push(row);
  }
  const columns: SqlColumn[] = statement.columns().map((column, index) => ({
    name: column.name,
    type: columnType(
      column.name,
      column.type,
      rows.map((row) => row[index]),
    ),
  }));
  const converted = rows.map((row) =>
    row.map((value, index) => {
      const type = columns[index]!.type;
      if (type === "time") return timeValue(value);
      if (type === "float64" && typeof value === "bigint") return Number(value);
      return value;
    }),
  );
  return createFrameFromSqlRows(columns, converted, {
    meta: {
      executedQueryString: sql,
      ...(truncated
        ? {
            notices: [
              {
                severity: "warning",
                text: `Results have been limited to ${options.rowLimit} because the SQL row limit was reached`,
              },
            ],
          }
        : {}),
    },
  });
}
