import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { createSampleDatabase } from "@gfsdk/example-sqlite-datasource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interopDir, repoRoot, runCommand } from "./go-tool.js";

interface ExampleReport {
  example: string;
  ok: boolean;
  checks: { name: string; ok: boolean; error: string; ms: number }[];
}

const examples = [
  { example: "sqlite", executable: "examples/sqlite-datasource/dist/gpx_sqlite_linux_amd64" },
  { example: "app", executable: "examples/app/dist/gpx_app_linux_amd64" },
] as const;

let examplehost: string;
let installed: string;

beforeAll(async () => {
  examplehost = join(interopDir, "bin", "examplehost");
  try {
    await promisify(execFile)("go", ["build", "-o", examplehost, "./cmd/examplehost"], { cwd: interopDir });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT")
      throw new Error("Go is not installed: the interop tests need the go toolchain on PATH");
    throw new Error(`go build ./cmd/examplehost failed: ${e.stderr || e.message}`);
  }
  installed = await mkdtemp(join(tmpdir(), "gfsdk-examples-"));
}, 300_000);

afterAll(async () => {
  if (installed) await rm(installed, { recursive: true, force: true });
});

describe.each(examples)(
  "the $example example's executable driven by a Go host built like Grafana's",
  ({ example, executable }) => {
    let report: ExampleReport;
    let checks: string[];

    beforeAll(async () => {
      const built = join(repoRoot, executable);
      if (!existsSync(built))
        throw new Error(`${built} is missing: run \`npm run build\` first (npm test does)`);
      // As Grafana runs an installed plugin: copied out of the build's tree, launched with no
      // environment but what Grafana and go-plugin set (no PATH, no HOME).
      const dir = join(installed, example);
      await mkdir(dir);
      const copy = join(dir, basename(built));
      await copyFile(built, copy);
      await copyFile(join(dirname(built), "plugin.json"), join(dir, "plugin.json"));
      const args = ["--example", example, "--plugin", copy, "--json"];
      if (example === "sqlite") {
        const db = join(dir, "sample.db");
        createSampleDatabase(db);
        args.push("--db", db);
      }
      checks = (await runCommand(examplehost, ["--example", example, "--list"])).stdout
        .split("\n")
        .filter(Boolean);
      const result = await runCommand(examplehost, args, { timeoutMs: 300_000, env: {} });
      report = JSON.parse(result.stdout) as ExampleReport;
      if (!report.ok) console.error(result.stderr);
    }, 300_000);

    it("runs every check of the host, launch to kill", () => {
      expect(checks.length).toBeGreaterThanOrEqual(10);
      expect(report.checks.map((c) => c.name)).toEqual(checks);
    });

    it("passes every check", () => {
      const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error}`);
      expect(failed).toEqual([]);
      expect(report.ok).toBe(true);
    });
  },
);
