import { constants, DatabaseSync } from "node:sqlite";

/**
 * Opens the SQLite file at `path` read-only, as Grafana advises for every SQL data source (a
 * dashboard query can never write), waiting up to 5 s for a writer's lock. ATTACH is refused, so a
 * query cannot open another database file on the Grafana host. Throws when the file cannot be opened
 * (a missing file is never created: read-only).
 */
export function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { readOnly: true, timeout: 5000 });
  db.setAuthorizer((action) =>
    action === constants.SQLITE_ATTACH || action === constants.SQLITE_DETACH
      ? constants.SQLITE_DENY
      : constants.SQLITE_OK,
  );
  return db;
}
