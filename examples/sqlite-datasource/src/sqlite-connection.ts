import type { DatabaseSync } from "node:sqlite";
import { DownstreamError } from "@gfsdk/core";
import { openDatabase } from "./open-database.js";

/**
 * The database of one data source: opened on first use (so a wrong path is reported by the health
 * check and each query, and the plugin keeps serving), then kept open until {@link close}.
 */
export class SqliteConnection {
  readonly path: string;
  #db: DatabaseSync | undefined;

  constructor(path: string) {
    this.path = path;
  }

  /** The open database. Throws a 502 DownstreamError naming the file when it cannot be opened. */
  get db(): DatabaseSync {
    if (this.#db === undefined) {
      try {
        this.#db = openDatabase(this.path);
      } catch (error) {
        throw new DownstreamError(`cannot open the database ${this.path}: ${(error as Error).message}`, {
          status: 502,
          cause: error,
        });
      }
    }
    return this.#db;
  }

  /** Closes the database if it was opened. */
  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }
}
