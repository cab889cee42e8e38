import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { expandMacros, type MacroContext } from "./expand-macros.js";

const context: MacroContext = {
  from: new Date("2024-05-01T00:00:00.750Z"), // 1714521600.75
  to: new Date("2024-05-01T06:00:00Z"), // 1714543200
  intervalMs: 30_000,
};

describe("expandMacros", () => {
  it("writes the time range as whole epoch seconds", () => {
    expect(expandMacros("SELECT * FROM t WHERE $__timeFilter(ts)", context)).toBe(
      "SELECT * FROM t WHERE ts BETWEEN 1714521600 AND 1714543200",
    );
    expect(expandMacros("WHERE ts > $__timeFrom() AND ts < $__timeTo()", context)).toBe(
      "WHERE ts > 1714521600 AND ts < 1714543200",
    );
    expect(expandMacros("$__unixEpochFilter(ts) $__unixEpochFrom() $__unixEpochTo()", context)).toBe(
      "ts BETWEEN 1714521600 AND 1714543200 1714521600 1714543200",
    );
  });

  it("replaces $__interval_ms and $__interval, as Grafana writes them", () => {
    expect(expandMacros("SELECT $__interval_ms, '$__interval'", context)).toBe("SELECT 30000, '30s'");
  });

  it("groups into buckets of the interval, $__interval included", () => {
    expect(expandMacros("SELECT $__timeGroup(ts, '5m')", context)).toBe(
      "SELECT CAST(floor((ts) / 300.0) * 300 AS INTEGER)",
    );
    expect(expandMacros("SELECT $__timeGroupAlias(ts, $__interval)", context)).toBe(
      'SELECT CAST(floor((ts) / 30.0) * 30 AS INTEGER) AS "time"',
    );
    expect(expandMacros("SELECT $__timeGroup(ts, 500ms)", context)).toBe("SELECT (floor((ts) / 0.5) * 0.5)");
  });

  it("keeps nested calls and quoted commas inside one argument", () => {
    expect(expandMacros("$__timeFilter(unixepoch(coalesce(a, b)))", context)).toBe(
      "unixepoch(coalesce(a, b)) BETWEEN 1714521600 AND 1714543200",
    );
    expect(expandMacros("$__timeGroup(strftime('%s', d), '1h')", context)).toBe(
      "CAST(floor((strftime('%s', d)) / 3600.0) * 3600 AS INTEGER)",
    );
  });

  it("leaves SQL without macros, and $__ words that are no call, untouched", () => {
    expect(expandMacros("SELECT '$__x' FROM t", context)).toBe("SELECT '$__x' FROM t");
  });

  it("refuses unknown macros, wrong arities, fill and bad intervals with a 400 naming them", () => {
    const fails = (sql: string, message: string) => {
      expect(() => expandMacros(sql, context)).toThrow(message);
      try {
        expandMacros(sql, context);
      } catch (error) {
        expect(error).toMatchObject({ status: 400, source: "plugin" });
      }
    };
    fails("$__nope(x)", "unknown macro $__nope");
    fails("$__timeFilter()", "macro $__timeFilter expects 1 argument, got 0");
    fails("$__timeFilter(a, b)", "macro $__timeFilter expects 1 argument, got 2");
    fails("$__timeFrom(ts)", "macro $__timeFrom expects 0 arguments, got 1");
    fails("$__timeGroup(ts)", "macro $__timeGroup expects 2 to 3 arguments, got 1");
    fails("$__timeGroup(ts, '5m', 0)", "is not supported");
    fails("$__timeGroup(ts, 'often')", "invalid interval \"'often'\"");
    fails("$__timeGroup(ts, 0s)", "must not be 0");
    fails("$__timeFilter(ts", 'missing ")"');
    fails("WHERE $__timeFilter", "needs its arguments in parentheses");
  });

  it("gives SQL that SQLite runs: buckets floor, negative times included", () => {
    const db = new DatabaseSync(":memory:");
    db.exec(
      "CREATE TABLE t (ts INTEGER); INSERT INTO t VALUES (1714521723), (-1), (1714543200), (1714543201)",
    );
    const rows = db
      .prepare(
        expandMacros(
          "SELECT $__timeGroupAlias(ts, '5m') FROM t WHERE $__timeFilter(ts) OR ts < 0 ORDER BY ts",
          context,
        ),
      )
      .all();
    expect(rows.map((row) => row.time)).toEqual([-300, 1714521600, 1714543200]);
    db.close();
  });
});
