import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readStandaloneServer, writeStandaloneFiles } from "./standalone-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "gfsdk-grpc-standalone-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("writeStandaloneFiles", () => {
  it("writes the address and pid owner-only, and its remover deletes both", async () => {
    const remove = await writeStandaloneFiles(dir, "127.0.0.1:5000", 4242);
    expect(await readFile(join(dir, "standalone.txt"), "utf8")).toBe("127.0.0.1:5000");
    expect(await readFile(join(dir, "pid.txt"), "utf8")).toBe("4242");
    expect((await stat(join(dir, "pid.txt"))).mode & 0o777).toBe(0o600);
    remove();
    expect(existsSync(join(dir, "standalone.txt"))).toBe(false);
    expect(existsSync(join(dir, "pid.txt"))).toBe(false);
  });

  it("leaves the files of a newer standalone server alone", async () => {
    const remove = await writeStandaloneFiles(dir, "127.0.0.1:5000", 4242);
    await writeStandaloneFiles(dir, "127.0.0.1:6000", 4343);
    remove();
    expect(await readFile(join(dir, "standalone.txt"), "utf8")).toBe("127.0.0.1:6000");
  });
});

describe("readStandaloneServer", () => {
  it("finds a server whose process is alive", async () => {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      await writeFile(join(dir, "standalone.txt"), "127.0.0.1:5000\n");
      await writeFile(join(dir, "pid.txt"), `${child.pid}\n`);
      expect(await readStandaloneServer(dir)).toEqual({ address: "127.0.0.1:5000", pid: child.pid });
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("ignores missing files, this process's own files and malformed addresses", async () => {
    expect(await readStandaloneServer(dir)).toBeUndefined();
    await writeFile(join(dir, "standalone.txt"), "127.0.0.1:5000");
    expect(await readStandaloneServer(dir)).toBeUndefined();
    await writeFile(join(dir, "pid.txt"), String(process.pid));
    expect(await readStandaloneServer(dir)).toBeUndefined();
    await writeFile(join(dir, "pid.txt"), String(process.ppid));
    await writeFile(join(dir, "standalone.txt"), "127.0.0.1:5000|evil");
    expect(await readStandaloneServer(dir)).toBeUndefined();
  });
});
