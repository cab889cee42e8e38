import { PluginError } from "@gfsdk/core";
import { describe, expect, it } from "vitest";
import { convertObjects, mutateObject, parseObject, validateObject } from "./kubernetes-object.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (value: unknown) => encoder.encode(JSON.stringify(value));
const json = (b: Uint8Array) => JSON.parse(decoder.decode(b)) as unknown;

function thrown(f: () => unknown): PluginError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return error as PluginError;
  }
  throw new Error("did not throw");
}

const thing = {
  apiVersion: "g.dev/v1",
  kind: "Thing",
  metadata: { name: "a", annotations: { x: "y" } },
  spec: { valid: true, n: 1 },
};

describe("parseObject", () => {
  it("parses a JSON object and refuses anything else with a 400 naming the input", () => {
    expect(parseObject(bytes(thing), "object")).toEqual(thing);
    expect(thrown(() => parseObject(encoder.encode("{not json"), "object 1")).message).toMatch(
      /^object 1 is not JSON/,
    );
    expect(thrown(() => parseObject(bytes([1]), "object")).message).toBe("object is not a JSON object");
    expect(thrown(() => parseObject(new Uint8Array([0xff]), "object")).status).toBe(400);
  });
});

describe("validateObject", () => {
  it("refuses only spec.valid false, with code 400 naming spec.valid", () => {
    expect(validateObject(thing)).toEqual({ allowed: true });
    expect(validateObject({ kind: "Thing" })).toEqual({ allowed: true });
    expect(validateObject({ spec: { valid: "false" } })).toEqual({ allowed: true });
    const verdict = validateObject({ ...thing, spec: { valid: false } });
    expect(verdict).toMatchObject({ allowed: false, code: 400 });
    expect(verdict.allowed === false && verdict.message).toContain("spec.valid");
  });
});

describe("mutateObject", () => {
  it("adds the gfsdk.dev/mutated annotation and changes nothing else", () => {
    expect(json(mutateObject(thing))).toEqual({
      ...thing,
      metadata: { name: "a", annotations: { x: "y", "gfsdk.dev/mutated": "true" } },
    });
    expect(json(mutateObject({ kind: "Thing" }))).toEqual({
      kind: "Thing",
      metadata: { annotations: { "gfsdk.dev/mutated": "true" } },
    });
    expect(Object.keys(json(mutateObject(thing)) as object)).toEqual(Object.keys(thing));
  });

  it("refuses metadata or annotations that are not objects", () => {
    expect(thrown(() => mutateObject({ metadata: "m" })).message).toBe("metadata is not an object");
    expect(thrown(() => mutateObject({ metadata: { annotations: [] } })).message).toBe(
      "metadata.annotations is not an object",
    );
  });
});

describe("convertObjects", () => {
  it("sets apiVersion to group/version and keeps everything else", () => {
    const out = convertObjects([bytes(thing), bytes({ kind: "Other" })], "g.dev", "v2");
    expect(out.map(json)).toEqual([
      { ...thing, apiVersion: "g.dev/v2" },
      { kind: "Other", apiVersion: "g.dev/v2" },
    ]);
    expect(Object.keys(json(out[0]!) as object)).toEqual(Object.keys(thing));
    expect(convertObjects([bytes({})], "", "v1").map(json)).toEqual([{ apiVersion: "v1" }]);
  });

  it("fails the whole conversion on an object that is not JSON, naming its index", () => {
    const error = thrown(() => convertObjects([bytes(thing), encoder.encode("{not json")], "g.dev", "v2"));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^object 1 is not JSON/);
  });
});
