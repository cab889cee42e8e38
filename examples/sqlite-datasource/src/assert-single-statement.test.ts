import { describe, expect, it } from "vitest";
import { assertSingleStatement } from "./assert-single-statement.js";

describe("assertSingleStatement", () => {
  it("accepts one statement, with a trailing semicolon, comments and quoted semicolons", () => {
    for (const sql of [
      "SELECT 1",
      "SELECT 1;",
      "SELECT 1; -- the end",
      "SELECT 1; /* done */ ;",
      "SELECT ';', \"a;b\", `c;d`, [e;f] FROM t",
      "SELECT 'it''s; fine' -- ; SELECT 2\n",
      "SELECT /* ; SELECT 2 */ 1",
    ])
      expect(() => assertSingleStatement(sql), sql).not.toThrow();
  });

  it("refuses a second statement with a 400 that says so", () => {
    for (const sql of ["SELECT 1; SELECT 2", "SELECT ';'; DELETE FROM t", "SELECT 1;\n-- x\nSELECT 2"]) {
      expect(() => assertSingleStatement(sql), sql).toThrow("a query must be one SQL statement");
    }
    try {
      assertSingleStatement("SELECT 1; SELECT 2");
    } catch (error) {
      expect(error).toMatchObject({ status: 400, source: "plugin" });
    }
  });
});
