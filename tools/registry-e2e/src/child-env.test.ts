import { delimiter } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createChildEnv } from "./child-env.js";

describe("createChildEnv", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it("drops npm's, vitest's and Nx's run variables and keeps the rest, npm's cache location included", () => {
    Object.assign(process.env, {
      npm_config_userconfig: "/somewhere/.npmrc",
      NPM_CONFIG_REGISTRY: "https://elsewhere/",
      npm_config_cache: "/somewhere/cache",
      npm_lifecycle_event: "test",
      VITEST_WORKER_ID: "1",
      NX_TASK_TARGET_PROJECT: "x",
      NODE_ENV: "test",
      GFSDK_CACHE_DIR: "/cache/gfsdk",
      SOME_SETTING: "kept",
    });
    const env = createChildEnv();
    for (const name of [
      "npm_config_userconfig",
      "NPM_CONFIG_REGISTRY",
      "npm_lifecycle_event",
      "VITEST_WORKER_ID",
      "NX_TASK_TARGET_PROJECT",
      "NODE_ENV",
    ]) {
      expect(env, name).not.toHaveProperty(name);
    }
    expect(env.npm_config_cache).toBe("/somewhere/cache");
    expect(env.GFSDK_CACHE_DIR).toBe("/cache/gfsdk");
    expect(env.SOME_SETTING).toBe("kept");
  });

  it("puts pathPrepend first on PATH, in order", () => {
    process.env.PATH = ["/usr/bin", "/bin"].join(delimiter);
    expect(createChildEnv({ pathPrepend: ["/a", "/b"] }).PATH).toBe(
      ["/a", "/b", "/usr/bin", "/bin"].join(delimiter),
    );
  });

  it("applies set last, so it can set what was dropped", () => {
    process.env.npm_config_userconfig = "/inherited";
    const env = createChildEnv({ set: { npm_config_userconfig: "/mine", NX_DAEMON: "false" } });
    expect(env.npm_config_userconfig).toBe("/mine");
    expect(env.NX_DAEMON).toBe("false");
  });
});
