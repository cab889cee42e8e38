import { DatabaseSync } from "node:sqlite";

/** Options of {@link createSampleDatabase}. */
export interface SampleDatabaseOptions {
  /** Time of the first sample, in Unix epoch seconds. Default 2024-05-01T00:00:00Z (1714521600). */
  start?: number;
  /** Samples per host, one a minute. Default 60. */
  samples?: number;
}

/**
 * Writes a small database to `path` for trying the data source and for its tests: `metrics(ts
 * INTEGER epoch seconds, host TEXT, cpu REAL)` with hosts `a` and `b`, one row each a minute
 * (`cpu` = minute index for a, twice it for b), and `events(id, at TEXT ISO 8601, message, ok
 * BOOLEAN)` with three rows. Replaces tables of those names.
 */
export function createSampleDatabase(path: string, options: SampleDatabaseOptions = {}): void {
  const start = options.start ?? 1_714_521_600;
  const samples = options.samples ?? 60;
  const db = new DatabaseSync(path);
  try {
    db.exec(`
      DROP TABLE IF EXISTS metrics; DROP TABLE IF EXISTS events;
      CREATE TABLE metrics (ts INTEGER NOT NULL, host TEXT NOT NULL, cpu REAL);
      CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT NOT NULL, message TEXT, ok BOOLEAN);
    `);
    const insert = db.prepare("INSERT INTO metrics (ts, host, cpu) VALUES (?, ?, ?)");
    db.exec("BEGIN");
    for (let i = 0; i < samples; i++) {
      insert.run(start + i * 60, "a", i);
      insert.run(start + i * 60, "b", 2 * i);
    }
    db.exec("COMMIT");
    const event = db.prepare("INSERT INTO events (at, message, ok) VALUES (?, ?, ?)");
    event.run(new Date(start * 1000).toISOString(), "deployed", 1);
    event.run(new Date((start + 600) * 1000).toISOString(), "alert fired", 0);
    event.run(new Date((start + 1200) * 1000).toISOString(), null, null);
  } finally {
    db.close();
  }
}
