import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PluginError } from "./plugin-error.js";
import { isSchema, issuesText, typed, validateWithSchema } from "./schema.js";

describe("typed", () => {
  it("accepts any value as it is", async () => {
    const value = { anything: [1, "x"] };
    expect(await validateWithSchema(typed<{ url: string }>(), value, "x")).toBe(value);
    expect(isSchema(typed())).toBe(true);
  });
});

describe("validateWithSchema", () => {
  it.each([
    ["zod", z.object({ a: z.object({ b: z.array(z.number()) }) })],
    ["valibot", v.object({ a: v.object({ b: v.array(v.number()) }) })],
    ["arktype", type({ a: { b: "number[]" } })],
  ])("names the path of each %s issue in a 400 plugin error", async (_name, schema) => {
    const error = await validateWithSchema(schema, { a: { b: [1, "2"] } }, "invalid jsonData").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ status: 400, source: "plugin" });
    expect((error as Error).message).toMatch(/^invalid jsonData: a\.b\.1: /);
  });

  it("returns the schema's output, with transforms and defaults", async () => {
    const schema = z.object({ n: z.coerce.number(), d: z.string().default("x") });
    expect(await validateWithSchema(schema, { n: "3" }, "x")).toEqual({ n: 3, d: "x" });
  });

  it("awaits async validators", async () => {
    const schema = z.object({ n: z.number().refine(async (n) => n > 0, "must be positive") });
    await expect(validateWithSchema(schema, { n: -1 }, "bad")).rejects.toThrow("bad: n: must be positive");
    expect(await validateWithSchema(schema, { n: 1 }, "bad")).toEqual({ n: 1 });
  });
});

describe("issuesText", () => {
  it("joins issues, with path segments given as keys or objects, and without a path", () => {
    expect(
      issuesText([{ message: "root bad" }, { message: "deep", path: ["a", { key: 0 }, Symbol.for("s")] }]),
    ).toBe("root bad; a.0.Symbol(s): deep");
  });
});

describe("isSchema", () => {
  it("tells Standard Schemas from other values", () => {
    expect(isSchema(z.string())).toBe(true);
    expect(isSchema({ url: "x" })).toBe(false);
    expect(isSchema(null)).toBe(false);
  });
});
