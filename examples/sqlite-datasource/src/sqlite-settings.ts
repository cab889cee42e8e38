import { isAbsolute } from "node:path";
import { z } from "zod";

/** The data source's settings (`jsonData`): the path of the SQLite file on the Grafana host. */
export const sqliteJsonData = z.object({
  path: z
    .string()
    .min(1, "the path of the database file is required")
    .refine(isAbsolute, "must be an absolute path (the plugin's working directory is Grafana's)"),
});

/** The parsed settings of an SQLite data source. */
export type SqliteJsonData = z.infer<typeof sqliteJsonData>;

/** The query model Grafana's SQL query editors write: the SQL and the result format. */
export const sqliteQueryModel = z.object({
  rawSql: z.string().min(1, "the SQL must not be empty"),
  format: z.enum(["table", "time_series"]).default("table"),
});

/** A parsed SQLite query model. */
export type SqliteQueryModel = z.infer<typeof sqliteQueryModel>;
