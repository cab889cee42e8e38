import type { DatabaseSync } from "node:sqlite";

/** A table or view of the database, as `GET /tables` lists it. */
export interface TableInfo {
  name: string;
  type: "table" | "view";
}

/** A column of a table, as `GET /tables/:name/columns` lists it. */
export interface ColumnInfo {
  name: string;
  /** The declared type, `""` when none. */
  type: string;
}

/** The tables and views of the main database, by name, without SQLite's internal `sqlite_` ones. */
export function listTables(db: DatabaseSync): TableInfo[] {
  return db
    .prepare(
      "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as unknown as TableInfo[];
}

/**
 * The columns of `table` in order, or undefined when there is no such table or view. The name is a
 * bound parameter (`pragma_table_info(?)`), never pasted into the SQL.
 */
export function listColumns(db: DatabaseSync, table: string): ColumnInfo[] | undefined {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?")
    .get(table);
  if (exists === undefined) return undefined;
  return db
    .prepare("SELECT name, type FROM pragma_table_info(?) ORDER BY cid")
    .all(table) as unknown as ColumnInfo[];
}
