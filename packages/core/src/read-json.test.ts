import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describe, expect, expectTypeOf, it } from "vitest";
import { PluginError } from "./plugin-error.js";
import { readJson } from "./read-json.js";

/** A POST request with `body`. */
function post(body: string): Request {
  return new Request("http://grafana-plugin.invalid/x", { method: "POST", body });
}

/**
 * A small Standard Schema for `{ name: string; items: { n: number }[] }` that reports every bad
 * field with its path, as zod or valibot would; `async` answers from a promise.
 */
function itemsSchema(
  async = false,
): StandardSchemaV1<unknown, { name: string; items: { n: number }[]; count: number }> {
  return {
    "~standard": {
      version: 1,
      vendor: "test",
      validate(value) {
        const issues: StandardSchemaV1.Issue[] = [];
        const v = value as { name?: unknown; items?: unknown };
        if (typeof v !== "object" || v === null) issues.push({ message: "Expected object" });
        else {
          if (typeof v.name !== "string") issues.push({ message: "Expected string", path: ["name"] });
          if (!Array.isArray(v.items)) issues.push({ message: "Expected array", path: [{ key: "items" }] });
          else
            v.items.forEach((item: { n?: unknown }, i) => {
              if (typeof item?.n !== "number")
                issues.push({ message: "Expected number", path: ["items", i, { key: "n" }] });
            });
        }
        const result: StandardSchemaV1.Result<{ name: string; items: { n: number }[]; count: number }> =
          issues.length > 0
            ? { issues }
            : {
                value: {
                  ...(v as { name: string; items: { n: number }[] }),
                  count: (v.items as unknown[]).length,
                },
              };
        return async ? Promise.resolve(result) : result;
      },
    },
  };
}

describe("readJson", () => {
  it("parses a JSON body without a schema", async () => {
    const value = await readJson(post('{"a":[1,2]}'));
    expectTypeOf(value).toEqualTypeOf<unknown>();
    expect(value).toEqual({ a: [1, 2] });
  });

  it("returns the schema's output, typed from the schema, for sync and async validators", async () => {
    for (const async of [false, true]) {
      const value = await readJson(post('{"name":"x","items":[{"n":1},{"n":2}]}'), itemsSchema(async));
      expectTypeOf(value).toEqualTypeOf<{ name: string; items: { n: number }[]; count: number }>();
      expect(value).toEqual({ name: "x", items: [{ n: 1 }, { n: 2 }], count: 2 });
    }
  });

  it("throws a 400 PluginError naming each failing path", async () => {
    for (const async of [false, true]) {
      const error = await readJson(post('{"name":3,"items":[{"n":1},{"n":"2"}]}'), itemsSchema(async)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PluginError);
      expect(error).toMatchObject({
        status: 400,
        source: "plugin",
        message: "invalid request body: name: Expected string; items.1.n: Expected number",
      });
    }
    await expect(readJson(post('{"name":"x"}'), itemsSchema())).rejects.toThrow(
      "invalid request body: items: Expected array",
    );
    await expect(readJson(post("null"), itemsSchema())).rejects.toThrow(
      "invalid request body: Expected object",
    );
  });

  it("throws a 400 PluginError for an empty or malformed body", async () => {
    await expect(readJson(post(""))).rejects.toMatchObject({
      status: 400,
      message: "invalid request body: it is empty, JSON was expected",
    });
    await expect(readJson(new Request("http://grafana-plugin.invalid/x"))).rejects.toMatchObject({
      status: 400,
    });
    const error = await readJson(post("{oops")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).status).toBe(400);
    expect((error as PluginError).message).toMatch(/^invalid request body: not JSON \(/);
  });
});
