import { describe, expect, it } from "vitest";
import { maxChannelLength, validateChannelPath } from "./channel-path.js";

describe("validateChannelPath", () => {
  it("accepts the paths Grafana's own tests accept", () => {
    for (const path of ["ccc", "test", "path/dash-and-equal=1.1.1.1", "dashboards=XYZ/userid", "a_b/C-9"]) {
      expect(validateChannelPath(path), path).toBeUndefined();
    }
  });

  it("refuses an empty path", () => {
    expect(validateChannelPath("")).toBe("invalid channel path: it is empty");
  });

  it("accepts 160 characters and refuses 161", () => {
    expect(maxChannelLength).toBe(160);
    expect(validateChannelPath("a".repeat(160))).toBeUndefined();
    expect(validateChannelPath("a".repeat(161))).toBe(
      "invalid channel path: it has 161 characters, at most 160 are allowed",
    );
  });

  it("refuses a reserved symbol, a space and non-ASCII letters, naming the character", () => {
    expect(validateChannelPath("test/%")).toMatch(/"%" is not allowed/);
    expect(validateChannelPath(" test")).toMatch(/" " is not allowed/);
    expect(validateChannelPath("ѓ")).toMatch(/"ѓ" is not allowed/);
    expect(validateChannelPath("a?b")).toMatch(/"\?" is not allowed/);
    expect(validateChannelPath("a\nb")).toMatch(/"\\n" is not allowed/);
  });

  it("accepts the characters Go's A-z range lets through between Z and a", () => {
    for (const ch of ["[", "\\", "]", "^", "`"]) expect(validateChannelPath(`a${ch}b`), ch).toBeUndefined();
  });

  it("accepts slashes anywhere in the path, empty segments included, as Grafana does", () => {
    expect(validateChannelPath("a//b/")).toBeUndefined();
  });
});
