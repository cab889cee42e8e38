import { describe, expect, it } from "vitest";
import { assertSupportedNode } from "./node-requirement.js";

describe("assertSupportedNode", () => {
  it("accepts Node.js 22.12 and newer", () => {
    for (const version of ["22.12.0", "22.20.1", "24.0.0", "26.7.0"])
      expect(() => assertSupportedNode(version)).not.toThrow();
  });
  it("refuses older ones, naming the version and the fix", () => {
    expect(() => assertSupportedNode("20.20.2")).toThrow(
      /needs Node.js 22.12 or newer; this is Node.js 20.20.2. Install a current LTS/,
    );
    expect(() => assertSupportedNode("22.11.0")).toThrow(/22.12 or newer/);
  });
});
