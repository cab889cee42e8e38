import { PluginError } from "@gfsdk/core";
import { describe, expect, it } from "vitest";
import { chunkRowsOf, defaultChunkRows } from "./chunk-rows.js";

describe("chunkRowsOf", () => {
  it("defaults to 100,000 and accepts integers from 1 to 10,000,000", () => {
    expect(chunkRowsOf({}, "rows")).toBe(defaultChunkRows);
    expect(defaultChunkRows).toBe(100_000);
    expect(chunkRowsOf({ chunkRows: 1 }, "rows")).toBe(1);
    expect(chunkRowsOf({ chunkRows: 10_000_000 }, "rows")).toBe(10_000_000);
  });

  it.each([0, -1, 10_000_001, 2.5, "100", true, {}])(
    "refuses %j with a 400 plugin error naming chunkRows",
    (value) => {
      let error: unknown;
      try {
        chunkRowsOf({ chunkRows: value }, "rows");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PluginError);
      expect((error as PluginError).status).toBe(400);
      expect((error as PluginError).source).toBe("plugin");
      expect((error as PluginError).message).toContain(
        "rows.chunkRows must be an integer from 1 to 10,000,000",
      );
    },
  );
});
