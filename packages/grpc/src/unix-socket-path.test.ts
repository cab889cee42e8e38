import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createUnixSocketPath, privateSocketDir, removeUnixSocket } from "./unix-socket-path.js";

describe("createUnixSocketPath", () => {
  it("returns a fresh, not yet existing plugin<digits> in a new owner-only directory plugin<random> of dir", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gfsdk-grpc-socket-"));
    try {
      const paths = await Promise.all(Array.from({ length: 20 }, () => createUnixSocketPath(dir)));
      expect(new Set(paths.map(dirname)).size).toBe(20);
      for (const path of paths) {
        expect(dirname(dirname(path))).toBe(dir);
        expect(path).toMatch(/\/plugin[^/]{6}\/plugin\d+$/);
        expect(existsSync(path)).toBe(false);
        const stat = statSync(dirname(path));
        expect(stat.isDirectory()).toBe(true);
        expect(stat.mode & 0o777).toBe(0o700);
        expect(privateSocketDir(path)).toBe(dirname(path));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("defaults to the OS temp dir", async () => {
    const path = await createUnixSocketPath();
    expect(dirname(dirname(path))).toBe(tmpdir());
    await removeUnixSocket(path);
  });
});

describe("removeUnixSocket", () => {
  it("removes the socket and its private directory, and only the file of any other path", async () => {
    const path = await createUnixSocketPath();
    await writeFile(path, "");
    await removeUnixSocket(path);
    expect(existsSync(dirname(path))).toBe(false);
    expect(privateSocketDir(path)).toBeUndefined();

    const dir = await mkdtemp(join(tmpdir(), "gfsdk-grpc-socket-"));
    try {
      await writeFile(join(dir, "other.sock"), "");
      await removeUnixSocket(join(dir, "other.sock"));
      expect(existsSync(join(dir, "other.sock"))).toBe(false);
      expect(existsSync(dir)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
