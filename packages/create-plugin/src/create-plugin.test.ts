import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPlugin } from "./create-plugin.js";
import { CreatePluginError } from "./create-plugin-error.js";
import type { TemplateVersions } from "./read-workspace-versions.js";

const versions: TemplateVersions = {
  "@gfsdk/core": "^1.2.3",
  "@gfsdk/grpc": "^2.0.0",
  "@gfsdk/dataframe": "^3.1.0",
  "@gfsdk/cli": "^4.0.1",
  "@gfsdk/in-process": "^5.5.5",
};

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "gfsdk-create-plugin-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const readJson = (dir: string, file: string) => JSON.parse(read(dir, file));

describe("createPlugin", () => {
  it("writes a datasource project with the id, name, executable and versions filled in", async () => {
    const directory = join(tmp, "ramp");
    const created = await createPlugin({
      directory,
      type: "datasource",
      id: "myorg-ramp-datasource",
      name: "Ramp",
      versions,
    });
    expect(created).toEqual({
      directory,
      files: [
        ".github/workflows/ci.yml",
        ".gitignore",
        "README.md",
        "package.json",
        "src/main.ts",
        "src/plugin.json",
        "src/plugin.test.ts",
        "src/plugin.ts",
        "tsconfig.json",
      ],
    });

    const manifest = readJson(directory, "package.json");
    expect(manifest).toMatchObject({
      name: "myorg-ramp-datasource",
      private: true,
      type: "module",
      engines: { node: ">=22.12.0" },
      scripts: { dev: "gfsdk dev", build: "gfsdk build", test: "vitest run", typecheck: "tsc --noEmit" },
    });
    expect(manifest.dependencies).toEqual({
      "@gfsdk/core": "^1.2.3",
      "@gfsdk/dataframe": "^3.1.0",
      "@gfsdk/grpc": "^2.0.0",
    });
    expect(manifest.devDependencies).toEqual({
      "@gfsdk/cli": "^4.0.1",
      "@gfsdk/in-process": "^5.5.5",
      "@types/node": "^24",
      typescript: "^6.0.2",
      vitest: "^5.1.1",
    });

    expect(readJson(directory, "src/plugin.json")).toMatchObject({
      type: "datasource",
      name: "Ramp",
      id: "myorg-ramp-datasource",
      backend: true,
      executable: "gpx_ramp",
      metrics: true,
      info: { version: "%VERSION%", updated: "%TODAY%", author: { name: "myorg" } },
      dependencies: { grafanaDependency: ">=10.4.0" },
    });
    expect(read(directory, "src/main.ts")).toContain(
      'await serve(plugin, { pluginId: "myorg-ramp-datasource" });',
    );
    expect(read(directory, "src/plugin.ts")).toContain("query(query, { jsonData })");
    expect(read(directory, "src/plugin.test.ts")).toContain('from "@gfsdk/in-process/testing"');
    // tsconfig.json may hold comments, as tsc allows.
    const tsconfig = JSON.parse(read(directory, "tsconfig.json").replace(/^\s*\/\/.*$/gm, ""));
    expect(tsconfig.include).toEqual(["src"]);
    expect(tsconfig.compilerOptions).toMatchObject({
      module: "nodenext",
      moduleResolution: "nodenext",
      strict: true,
      noEmit: true,
      types: ["node"],
    });
    expect(read(directory, ".gitignore").split("\n")).toEqual(
      expect.arrayContaining(["node_modules/", "dist/"]),
    );
    const readme = read(directory, "README.md");
    expect(readme).toContain("allow_loading_unsigned_plugins = myorg-ramp-datasource");
    expect(readme).toContain("GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS=myorg-ramp-datasource");
    expect(readme).toContain("gpx_ramp_linux_amd64");
    expect(read(directory, ".github/workflows/ci.yml")).toContain("name: myorg-ramp-datasource");
  });

  it("leaves no placeholder unfilled in any file", async () => {
    for (const type of ["datasource", "app"] as const) {
      const directory = join(tmp, type);
      const { files } = await createPlugin({ directory, type, id: `acme-x-${type}`, versions });
      for (const file of files) expect(read(directory, file), file).not.toMatch(/__[A-Z_]+__/);
    }
  });

  it("writes an app project with an app plugin.json and a resource handler", async () => {
    const directory = join(tmp, "hello");
    await createPlugin({ directory, type: "app", id: "myorg-hello-app", versions });
    const pluginJson = readJson(directory, "src/plugin.json");
    expect(pluginJson).toMatchObject({
      type: "app",
      id: "myorg-hello-app",
      name: "Hello",
      backend: true,
      executable: "gpx_hello",
    });
    expect(pluginJson.metrics).toBeUndefined();
    expect(read(directory, "src/plugin.ts")).toContain('"GET /hello": (_request, { jsonData, user })');
    expect(read(directory, "src/plugin.test.ts")).toContain("app: { jsonData:");
    expect(read(directory, "README.md")).toContain("/api/plugins/myorg-hello-app/resources/hello");
  });

  it("creates missing parent directories", async () => {
    const directory = join(tmp, "a", "b", "c");
    await createPlugin({ directory, type: "app", id: "myorg-deep-app", versions });
    expect(readdirSync(directory)).toContain("package.json");
  });

  it("writes into an existing empty directory", async () => {
    mkdirSync(join(tmp, "empty"));
    const created = await createPlugin({
      directory: join(tmp, "empty"),
      type: "datasource",
      id: "myorg-e-datasource",
      versions,
    });
    expect(created.files).toContain("package.json");
  });

  it("refuses a directory that is not empty, naming what is in it, and writes nothing", async () => {
    const directory = join(tmp, "used");
    mkdirSync(directory);
    writeFileSync(join(directory, "notes.txt"), "mine");
    const error = await createPlugin({
      directory,
      type: "datasource",
      id: "myorg-ramp-datasource",
      versions,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CreatePluginError);
    expect((error as Error).message).toBe(
      `refusing to write into ${directory}: the directory is not empty (it has notes.txt); choose a new or empty directory`,
    );
    expect(readdirSync(directory)).toEqual(["notes.txt"]);
  });

  it("refuses a path that is a file", async () => {
    writeFileSync(join(tmp, "file"), "");
    await expect(
      createPlugin({ directory: join(tmp, "file"), type: "app", id: "myorg-x-app", versions }),
    ).rejects.toThrow(/exists and is not a directory/);
  });

  it("refuses an invalid id before creating the directory", async () => {
    const directory = join(tmp, "bad");
    await expect(
      createPlugin({ directory, type: "datasource", id: "myorg-bad-app", versions }),
    ).rejects.toThrow(
      new CreatePluginError(
        'the plugin id "myorg-bad-app" must end in "-datasource" for a datasource plugin, e.g. myorg-ramp-datasource',
      ),
    );
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("refuses an unknown type and a name that would break the files it is written into", async () => {
    await expect(
      // @ts-expect-error: a type from outside TypeScript, as a JavaScript caller could pass.
      createPlugin({ directory: join(tmp, "p"), type: "panel", id: "myorg-p-panel", versions }),
    ).rejects.toThrow(/unknown plugin type "panel"; choose one of datasource, app/);
    await expect(
      createPlugin({ directory: join(tmp, "q"), type: "app", id: "myorg-q-app", name: 'My "Q"', versions }),
    ).rejects.toThrow(CreatePluginError);
  });
});
