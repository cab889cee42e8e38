export { createSampleDatabase, type SampleDatabaseOptions } from "./create-sample-database.js";
export { expandMacros, type MacroContext } from "./expand-macros.js";
export { sqlitePlugin, sqlitePluginId } from "./sqlite-plugin.js";
export type { SqliteJsonData, SqliteQueryModel } from "./sqlite-settings.js";
