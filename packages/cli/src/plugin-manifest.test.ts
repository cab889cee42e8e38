import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPluginManifest, renderPluginManifest, validatePluginManifest } from "./plugin-manifest.js";

const valid = {
  id: "myorg-ramp-datasource",
  type: "datasource",
  name: "Ramp",
  backend: true,
  executable: "gpx_ramp",
};

describe("validatePluginManifest", () => {
  it("accepts a backend datasource or app", () => {
    expect(validatePluginManifest(valid).executable).toBe("gpx_ramp");
    expect(validatePluginManifest({ ...valid, type: "app", id: "myorg-tools-app" }).type).toBe("app");
  });
  it("lists every mistake with its fix", () => {
    const error = (() => {
      try {
        validatePluginManifest({ id: "My Plugin", type: "panel", backend: false, executable: "bin/gpx" });
      } catch (caught) {
        return (caught as Error).message;
      }
      return "";
    })();
    expect(error).toContain('"id" "My Plugin" may hold only lowercase letters');
    expect(error).toContain('"type" is "panel": a backend plugin is a "datasource" or an "app"');
    expect(error).toContain('"name" is missing');
    expect(error).toContain('"backend" must be true');
    expect(error).toContain('"executable" "bin/gpx" must be a bare file name');
  });
  it("names a missing executable and id", () => {
    expect(() => validatePluginManifest({ ...valid, executable: undefined })).toThrow(
      /"executable" is missing/,
    );
    expect(() => validatePluginManifest({ ...valid, id: "" })).toThrow(/"id" is missing/);
    expect(() => validatePluginManifest([])).toThrow(/must hold a JSON object/);
  });
});

describe("loadPluginManifest", () => {
  let dir = "";
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("prefers src/plugin.json, as @grafana/create-plugin lays it out, over plugin.json", async () => {
    dir = await mkdtemp(join(tmpdir(), "gfsdk-manifest-"));
    await mkdir(join(dir, "src"));
    await writeFile(join(dir, "plugin.json"), JSON.stringify({ ...valid, executable: "gpx_root" }));
    await writeFile(join(dir, "src/plugin.json"), JSON.stringify(valid));
    const loaded = await loadPluginManifest(dir);
    expect(loaded.path).toBe(join(dir, "src/plugin.json"));
    expect(loaded.manifest.executable).toBe("gpx_ramp");
  });
  it("says where it looked when there is none", async () => {
    dir = await mkdtemp(join(tmpdir(), "gfsdk-manifest-"));
    await expect(loadPluginManifest(dir)).rejects.toThrow(/looked for src\/plugin.json and plugin.json/);
  });
  it("names the file that is not JSON", async () => {
    dir = await mkdtemp(join(tmpdir(), "gfsdk-manifest-"));
    await writeFile(join(dir, "plugin.json"), "{ nope");
    await expect(loadPluginManifest(dir)).rejects.toThrow(/plugin.json is not valid JSON/);
  });
});

describe("renderPluginManifest", () => {
  it("fills %VERSION% and %TODAY%", () => {
    const manifest = validatePluginManifest({ ...valid, info: { version: "%VERSION%", updated: "%TODAY%" } });
    const json = JSON.parse(renderPluginManifest(manifest, "1.2.3", new Date("2026-12-03T10:00:00Z")));
    expect(json.info).toEqual({ version: "1.2.3", updated: "2026-12-03" });
  });
});
