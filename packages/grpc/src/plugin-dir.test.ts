import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findPluginDir, pluginDirCandidates } from "./plugin-dir.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "gfsdk-grpc-plugindir-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("pluginDirCandidates", () => {
  it("lists the executable's dir, the working dir and its dist", () => {
    expect(pluginDirCandidates("/opt/exe", "/src/plugin")).toEqual([
      "/opt/exe",
      "/src/plugin",
      "/src/plugin/dist",
    ]);
  });

  it("adds the parent when working in pkg, as Go plugins are laid out", () => {
    expect(pluginDirCandidates("/opt/exe", "/src/plugin/pkg")).toContain("/src/plugin/dist");
  });
});

describe("findPluginDir", () => {
  it("returns the first candidate whose plugin.json has the plugin id", async () => {
    await mkdir(join(root, "other"));
    await writeFile(join(root, "other", "plugin.json"), JSON.stringify({ id: "someone-else" }));
    await mkdir(join(root, "dist"));
    await writeFile(join(root, "dist", "plugin.json"), JSON.stringify({ id: "my-plugin" }));
    const candidates = [join(root, "missing"), join(root, "other"), join(root, "dist")];
    expect(await findPluginDir("my-plugin", candidates)).toEqual({
      dir: join(root, "dist"),
      id: "my-plugin",
    });
    expect(await findPluginDir(undefined, candidates)).toEqual({
      dir: join(root, "other"),
      id: "someone-else",
    });
    expect(await findPluginDir("nobody", candidates)).toBeUndefined();
  });

  it("skips a plugin.json that is not valid JSON", async () => {
    await writeFile(join(root, "plugin.json"), "{");
    expect(await findPluginDir(undefined, [root])).toBeUndefined();
  });
});
