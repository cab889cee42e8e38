import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { toAdmissionResult, toConversionResult } from "./admission-result.js";

const encoder = new TextEncoder();

describe("toAdmissionResult", () => {
  it("gives a refusal's status result and warnings", () => {
    const response = create(pluginv2.ValidationResponseSchema, {
      allowed: false,
      result: { status: "Failure", message: "spec.n must be positive", reason: "Invalid", code: 400 },
      warnings: ["deprecated field"],
    });
    expect(toAdmissionResult(response)).toEqual({
      allowed: false,
      result: { status: "Failure", message: "spec.n must be positive", reason: "Invalid", code: 400 },
      warnings: ["deprecated field"],
      object: undefined,
    });
  });

  it("parses a mutation's object", () => {
    const response = create(pluginv2.MutationResponseSchema, {
      allowed: true,
      objectBytes: encoder.encode('{"spec":{"n":1}}'),
    });
    expect(toAdmissionResult(response)).toMatchObject({
      allowed: true,
      result: undefined,
      object: { spec: { n: 1 } },
    });
  });

  it("throws a SyntaxError quoting a mutated object that is not JSON", () => {
    const response = create(pluginv2.MutationResponseSchema, {
      allowed: true,
      objectBytes: encoder.encode("{x"),
    });
    expect(() => toAdmissionResult(response)).toThrow(/the mutated object is not JSON: "\{x"/);
  });
});

describe("toConversionResult", () => {
  it("parses JSON objects and keeps others as bytes", () => {
    const response = create(pluginv2.ConversionResponseSchema, {
      uid: "u",
      objects: [
        { raw: encoder.encode('{"apiVersion":"g/v2"}'), contentType: "application/json" },
        { raw: encoder.encode("a: 1"), contentType: "application/yaml" },
      ],
    });
    const result = toConversionResult(response);
    expect(result.uid).toBe("u");
    expect(result.objects[0]).toEqual({ apiVersion: "g/v2" });
    expect(result.objects[1]).toEqual(encoder.encode("a: 1"));
  });
});
