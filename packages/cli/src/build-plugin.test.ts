import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchPluginProcess } from "@gfsdk/grpc/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildPlugin } from "./build-plugin.js";
import { readExecutableFormat } from "./executable-format.js";
import { createFixtureProject, type FixtureProject } from "./testing/fixture-project.js";

/** Spawns `executable` with only go-plugin's variables and resolves with its first stdout line. */
async function handshakeLine(executable: string, cwd: string): Promise<string> {
  const plugin = watchPluginProcess(
    spawn(executable, [], {
      cwd,
      env: { grafana_plugin_type: "datasource", PLUGIN_PROTOCOL_VERSIONS: "2", PLUGIN_UNIX_SOCKET_DIR: cwd },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  try {
    return await plugin.handshake;
  } finally {
    plugin.child.kill("SIGTERM");
    await plugin.exited;
  }
}

describe("buildPlugin", () => {
  let project: FixtureProject;
  let result: BuildResult;
  const lines: string[] = [];

  beforeAll(async () => {
    project = await createFixtureProject();
    const dist = join(project.dir, "dist");
    await mkdir(dist);
    // The frontend build's files, and an executable of an earlier build.
    await writeFile(join(dist, "module.js"), "/* frontend */");
    await writeFile(join(dist, "gpx_fixture_darwin_amd64"), "stale");
    result = await buildPlugin({
      projectDir: project.dir,
      targets: ["linux-amd64", "windows-arm64"],
      log: (line) => lines.push(line),
    });
  }, 300_000);
  afterAll(() => project?.remove());

  it("writes one executable per target, 0755, of the target's format and CPU", async () => {
    expect(result.executables.map((built) => built.target)).toEqual(["linux-amd64", "windows-arm64"]);
    const [linux, windows] = result.executables;
    expect(linux?.file).toBe(join(project.dir, "dist/gpx_fixture_linux_amd64"));
    expect(windows?.file).toBe(join(project.dir, "dist/gpx_fixture_windows_arm64.exe"));
    expect((await stat(linux?.file ?? "")).mode & 0o777).toBe(0o755);
    expect(await readExecutableFormat(linux?.file ?? "")).toMatchObject({ format: "elf", arch: "amd64" });
    expect(await readExecutableFormat(windows?.file ?? "")).toMatchObject({ format: "pe", arch: "arm64" });
    expect(linux?.codeCache).toBe(process.platform === "linux" && process.arch === "x64");
    expect(windows?.codeCache).toBe(false);
  });

  it("prints each target's file, size and time", () => {
    expect(
      lines.some((line) => /^dist\/gpx_fixture_linux_amd64\s+\d+\.\d MB\s+\d+(\.\d)? m?s$/.test(line)),
    ).toBe(true);
    expect(lines.some((line) => line.startsWith("dist/gpx_fixture_windows_arm64.exe"))).toBe(true);
  });

  it("keeps the frontend's files and replaces earlier executables", async () => {
    expect(await readFile(join(project.dir, "dist/module.js"), "utf8")).toBe("/* frontend */");
    await expect(stat(join(project.dir, "dist/gpx_fixture_darwin_amd64"))).rejects.toThrow(/ENOENT/);
  });

  it("writes plugin.json with the package's version", async () => {
    const manifest = JSON.parse(await readFile(join(project.dir, "dist/plugin.json"), "utf8"));
    expect(manifest.id).toBe("fixture-test-datasource");
    expect(manifest.info.version).toBe("1.2.3");
    expect(manifest.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.runIf(process.platform === "linux" && process.arch === "x64")(
    "makes an executable that runs moved elsewhere with only go-plugin's environment",
    async () => {
      const elsewhere = await mkdtemp(join(tmpdir(), "gfsdk-moved-"));
      try {
        const moved = join(elsewhere, "gpx_fixture_linux_amd64");
        await copyFile(join(project.dir, "dist/gpx_fixture_linux_amd64"), moved);
        const line = await handshakeLine(moved, elsewhere);
        expect(line).toMatch(/^1\|2\|unix\|.+\|grpc\|?/);
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
    },
  );

  it("embeds no path of the build: not the project's, not the temp bundle's", async () => {
    for (const built of result.executables) {
      const bytes = await readFile(built.file);
      expect(bytes.includes(project.dir), built.file).toBe(false);
      expect(bytes.includes(join(tmpdir(), "gfsdk-build-")), built.file).toBe(false);
    }
  });

  it("names the missing entry and how to fix it", async () => {
    await expect(
      buildPlugin({ projectDir: project.dir, entry: "src/nope.ts", targets: ["linux-amd64"] }),
    ).rejects.toThrow(/the entry src\/nope.ts does not exist: pass --entry <file>/);
  });

  it("names the bundling error", async () => {
    await writeFile(join(project.dir, "src/broken.ts"), 'import "./missing.js";\n');
    await expect(
      buildPlugin({ projectDir: project.dir, entry: "src/broken.ts", targets: ["linux-amd64"] }),
    ).rejects.toThrow(/bundling .*broken.ts failed: .*missing.js/s);
  });
});

describe("buildPlugin's Node.js version", () => {
  it("refuses one that cannot build executables, naming the minimum", async () => {
    await expect(buildPlugin({ projectDir: "/nonexistent", nodeVersion: "24.22.3" })).rejects.toThrow(
      /Node.js version "24.22.3" cannot build executables: use 25.5.0 or newer/,
    );
  });
});

describe("buildPlugin without the registry", () => {
  it("says what it fetches and how to fix a failed fetch", async () => {
    const project = await createFixtureProject();
    const cacheDir = await mkdtemp(join(tmpdir(), "gfsdk-empty-cache-"));
    try {
      // A version the registry does not have: npm pack fails as it does offline.
      await expect(
        buildPlugin({ projectDir: project.dir, targets: ["windows-arm64"], nodeVersion: "99.0.0", cacheDir }),
      ).rejects.toThrow(
        /npm pack node-.*@99\.0\.0 .*failed[\s\S]*fetches each target's Node.js from the npm registry once per machine/,
      );
    } finally {
      await project.remove();
      await rm(cacheDir, { recursive: true, force: true });
    }
  }, 120_000);
});
