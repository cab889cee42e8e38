import { describe, expect, it } from "vitest";
import { decodeUtf8Column, encodeUtf8Column } from "./utf8-column.js";

const invalid = (row: number): never => {
  throw new Error(`invalid row ${row}`);
};

describe("encodeUtf8Column", () => {
  it("produces the same bytes as TextEncoder, row by row", () => {
    const strings = [
      "",
      "ascii",
      "ünï",
      "❤️",
      "🦥",
      "日本語",
      "a\u0000b",
      "\ud800 lone",
      "x\udfff",
      "👩‍👩‍👧‍👦",
    ];
    const { offsets, data } = encodeUtf8Column(strings, undefined, invalid);
    const encoder = new TextEncoder();
    strings.forEach((s, i) => {
      expect([...data.subarray(offsets[i], offsets[i + 1])], JSON.stringify(s)).toEqual([
        ...encoder.encode(s),
      ]);
    });
  });

  it("writes null rows as empty and reports non-string rows", () => {
    const { offsets } = encodeUtf8Column(["a", "skipped", "b"], new Uint8Array([1, 0, 1]), invalid);
    expect([...offsets]).toEqual([0, 1, 1, 2]);
    expect(() => encodeUtf8Column(["a", 1], undefined, invalid)).toThrow("invalid row 1");
  });
});

describe("decodeUtf8Column", () => {
  it("decodes ASCII and non-ASCII columns, honouring a start row", () => {
    const strings = ["a", "🦥", "", "ünï", "z"];
    const { offsets, data } = encodeUtf8Column(strings, undefined, invalid);
    expect(decodeUtf8Column(data, offsets, 0, 5)).toEqual(strings);
    expect(decodeUtf8Column(data, offsets, 3, 2)).toEqual(["ünï", "z"]);
    const ascii = encodeUtf8Column(["ab", "c"], undefined, invalid);
    expect(decodeUtf8Column(ascii.data, ascii.offsets, 0, 2)).toEqual(["ab", "c"]);
  });

  it("rejects offsets that decrease or leave the data buffer", () => {
    const data = new Uint8Array([97, 98]);
    expect(() => decodeUtf8Column(data, new Int32Array([0, 2, 1]), 0, 2)).toThrow(/not monotonic/);
    expect(() => decodeUtf8Column(data, new Int32Array([0, 5]), 0, 1)).toThrow(/outside the data buffer/);
    expect(() => decodeUtf8Column(data, new Int32Array([0]), 0, 1)).toThrow(/shorter than the column/);
  });
});

describe("decodeUtf8Column (whole-column path)", () => {
  it("decodes mixed ASCII and non-ASCII rows, a leading U+FEFF included, as TextDecoder does row by row", () => {
    const strings = [
      "\uFEFFbom first",
      "plain",
      "",
      "héllo",
      "🦄 emoji",
      "\uFEFF",
      "tail ✓",
      "x".repeat(300),
    ];
    const { data, offsets } = encodeUtf8Column(strings, undefined, invalid);
    expect(decodeUtf8Column(data, offsets, 0, strings.length)).toEqual(strings);
    expect(decodeUtf8Column(data, offsets, 3, 3)).toEqual(strings.slice(3, 6));
  });
});
