import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlugin } from "./create-plugin.js";
import { readWorkspaceVersions } from "./read-workspace-versions.js";

// The generated project cannot install from a registry here (the packages are not published), so
// it gets the workspace's node_modules, where @gfsdk/* link to the packages. Without the
// @gfsdk/source condition they resolve to dist/, which the build writes (npm test builds first).
const workspaceRoot = join(import.meta.dirname, "..", "..", "..");
const packagesDir = join(workspaceRoot, "packages");
const builtEntries = [
  "core/dist/index.d.ts",
  "core/dist/index.js",
  "dataframe/dist/index.js",
  "grpc/dist/index.js",
  "in-process/dist/index.js",
  "in-process/dist/testing/index.d.ts",
  "in-process/dist/testing/index.js",
];

interface Run {
  code: number | null;
  output: string;
}

/** Runs a package's bin on the Node running this test, in `cwd`, and collects stdout and stderr. */
function run(cwd: string, bin: string, args: string[]): Promise<Run> {
  // Vitest's own variables would make the inner vitest think it is a worker of this run.
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("VITEST") && key !== "NODE_OPTIONS") env[key] = value;
  }
  env.PATH = `${dirname(process.execPath)}${delimiter}${env.PATH ?? ""}`;
  env.NO_COLOR = "1";
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(cwd, "node_modules", ".bin", bin), ...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe.each(["datasource", "app"] as const)("createPlugin (%s)", (type) => {
  const id = type === "datasource" ? "myorg-ramp-datasource" : "myorg-hello-app";
  let tmp: string;
  let project: string;

  beforeAll(async () => {
    const missing = builtEntries.filter((entry) => !existsSync(join(packagesDir, entry)));
    if (missing.length > 0) {
      throw new Error(
        `build the workspace packages first (npx nx run-many -t build --projects=@gfsdk/core,@gfsdk/dataframe,@gfsdk/grpc,@gfsdk/in-process); missing: ${missing.join(", ")}`,
      );
    }
    tmp = mkdtempSync(join(tmpdir(), "gfsdk-generated-"));
    project = join(tmp, id);
    await createPlugin({ directory: project, type, id, versions: readWorkspaceVersions(packagesDir) });
    symlinkSync(join(workspaceRoot, "node_modules"), join(project, "node_modules"), "dir");
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("generates a project that type-checks as generated", { timeout: 120_000 }, async () => {
    const result = await run(project, "tsc", ["--noEmit", "-p", "."]);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("generates a project whose own tests pass", { timeout: 120_000 }, async () => {
    const result = await run(project, "vitest", ["run"]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/Test Files\s+1 passed \(1\)/);
    expect(result.output).toMatch(/Tests\s+4 passed \(4\)/);
  });
});
