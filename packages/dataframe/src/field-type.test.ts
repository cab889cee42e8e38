import { describe, expect, it } from "vitest";
import {
  FIELD_TYPES,
  goTypeName,
  isFieldType,
  isNumericFieldType,
  parseGoTypeName,
  simpleTypeOf,
} from "./field-type.js";

describe("goTypeName", () => {
  it("names types as the Go SDK does, with * for nullable", () => {
    expect(FIELD_TYPES.map((type) => goTypeName(type))).toEqual([
      "int8",
      "int16",
      "int32",
      "int64",
      "uint8",
      "uint16",
      "uint32",
      "uint64",
      "float32",
      "float64",
      "string",
      "bool",
      "time.Time",
      "json.RawMessage",
      "enum",
    ]);
    expect(goTypeName("time", true)).toBe("*time.Time");
  });
});

describe("parseGoTypeName", () => {
  it("reads every Go name back, plus the Go SDK's aliases", () => {
    for (const type of FIELD_TYPES) {
      expect(parseGoTypeName(goTypeName(type))).toEqual({ type, nullable: false });
      expect(parseGoTypeName(goTypeName(type, true))).toEqual({ type, nullable: true });
    }
    expect(parseGoTypeName("double")).toEqual({ type: "float64", nullable: false });
    expect(parseGoTypeName("json")).toEqual({ type: "json", nullable: false });
    expect(parseGoTypeName("int128")).toBeUndefined();
  });
});

describe("simpleTypeOf", () => {
  it("gives the frontend type written as tstype", () => {
    expect(FIELD_TYPES.map(simpleTypeOf)).toEqual([
      ...Array<string>(10).fill("number"),
      "string",
      "boolean",
      "time",
      "other",
      "enum",
    ]);
  });
});

describe("isFieldType", () => {
  it("recognises field type names", () => {
    expect(isFieldType("enum")).toBe(true);
    expect(isFieldType("number")).toBe(false);
    expect(isNumericFieldType("uint64")).toBe(true);
    expect(isNumericFieldType("enum")).toBe(false);
  });
});
