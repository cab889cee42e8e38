import { PluginError } from "@gfsdk/core";

/**
 * Throws a 400 PluginError when `sql` holds more than one statement. node:sqlite's `prepare`
 * compiles the first statement and silently drops the rest (it has no "tail" API), so a query
 * `SELECT 1; SELECT 2` would answer only the first: never cut silently. The scan skips SQLite's
 * string literals, quoted identifiers and comments, the only places a `;` may hide; no SQL parser
 * library for SQLite's lexical rules is kept up for Node, and this is all of them.
 */
export function assertSingleStatement(sql: string): void {
  let i = 0;
  let ended = false; // a `;` outside quotes and comments was seen
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === ";") {
      ended = true;
      i++;
    } else {
      if (ended)
        throw new PluginError(
          "a query must be one SQL statement: remove the statements after the first `;`",
          {
            status: 400,
          },
        );
      const close = c === "'" || c === '"' || c === "`" ? c : c === "[" ? "]" : undefined;
      if (close === undefined) i++;
      else {
        // A doubled quote ('it''s') is an escaped quote: the literal goes on after it.
        let j = i + 1;
        for (;;) {
          const end = sql.indexOf(close, j);
          if (end === -1) {
            j = sql.length;
            break;
          }
          if (close !== "]" && sql[end + 1] === close) j = end + 2;
          else {
            j = end + 1;
            break;
          }
        }
        i = j;
      }
    }
  }
}
