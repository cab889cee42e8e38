import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createUnixSocketPath } from "./unix-socket-path.js";

describe("createUnixSocketPath", () => {
  it("returns a fresh, not yet existing path named plugin<digits> in the directory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gfsdk-grpc-socket-"));
    try {
      const paths = await Promise.all(Array.from({ length: 20 }, () => createUnixSocketPath(dir)));
      expect(new Set(paths).size).toBe(20);
      for (const path of paths) {
        expect(dirname(path)).toBe(dir);
        expect(path).toMatch(/\/plugin\d+$/);
        expect(existsSync(path)).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("defaults to the OS temp dir", async () => {
    expect(dirname(await createUnixSocketPath())).toBe(tmpdir());
  });
});
