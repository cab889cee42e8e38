import { describe, expect, it } from "vitest";
import { parseJSONExact, stringifyJSON } from "./json-text.js";

describe("parseJSONExact", () => {
  it("parses integers beyond 2^53 as exact bigints and leaves other numbers alone", () => {
    expect(
      parseJSONExact('[9223372036854775807, -9223372036854775808, 1.5, 1e300, 12, "12345678901234567890"]'),
    ).toEqual([9223372036854775807n, -9223372036854775808n, 1.5, 1e300, 12, "12345678901234567890"]);
  });
});

describe("stringifyJSON", () => {
  it("writes bigints as exact JSON numbers and undefined as null", () => {
    expect(stringifyJSON({ a: 18446744073709551615n, b: [1, -2n] })).toBe(
      '{"a":18446744073709551615,"b":[1,-2]}',
    );
    expect(stringifyJSON(undefined)).toBe("null");
  });
});

describe("parseJSONExact on tricky text", () => {
  it("leaves digits inside strings, floats and exponents alone", () => {
    const text =
      '{"s":"12345678901234567890","e":"a\\"1234567890123456789,","f":1.2246467991473532e-14,"g":12345678901234567.5,"n":-12345678901234567890}';
    expect(parseJSONExact(text)).toEqual({
      s: "12345678901234567890",
      e: 'a"1234567890123456789,',
      f: 1.2246467991473532e-14,
      g: Number("12345678901234567.5"),
      n: -12345678901234567890n,
    });
  });

  it("keeps safe 16-digit integers as numbers and reports invalid JSON", () => {
    expect(parseJSONExact("[1234567890123456, 9007199254740993]")).toEqual([
      1234567890123456,
      9007199254740993n,
    ]);
    expect(() => parseJSONExact("[12345678901234567890")).toThrow(SyntaxError);
  });
});
