import { existsSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { buildGoCommand, repoRoot, runCommand } from "./go-tool.js";

/** The built testdata executable, named as Grafana computes it. */
export const testdataExecutable = join(repoRoot, "examples/testdata/dist/gpx_testdata_linux_amd64");

/** The Go host's `--json` report. */
export interface HostReport {
  ok: boolean;
  autoMTLS?: boolean;
  scenarios: { name: string; ok: boolean; error: string; ms: number }[];
}

/** What one run of the Go host gives: the scenarios it knows and its report on the executable. */
export interface HostRun {
  scenarios: string[];
  report: HostReport;
}

/**
 * Builds the Go host into bin/`binary` (one name per test file, since they run in parallel) and runs
 * every scenario against a copy of the testdata executable in a new directory, with `args` added
 * and an empty environment.
 */
export async function runGoHost(binary: string, args: string[] = []): Promise<HostRun> {
  if (!existsSync(testdataExecutable)) {
    throw new Error(`${testdataExecutable} is missing: run \`npm run build\` first (npm test does)`);
  }
  const host = await buildGoCommand("host", binary);
  const scenarios = (await runCommand(host, ["--list"])).stdout.split("\n").filter((l) => l.trim() !== "");
  // As Grafana runs an installed plugin: copied out of the build's tree, and with no environment
  // but what Grafana and go-plugin set (the host passes its own, here empty: no PATH, no HOME).
  const installed = await mkdtemp(join(tmpdir(), "gfsdk-installed-"));
  try {
    const executable = join(installed, basename(testdataExecutable));
    await copyFile(testdataExecutable, executable);
    await copyFile(join(dirname(testdataExecutable), "plugin.json"), join(installed, "plugin.json"));
    const result = await runCommand(host, ["--plugin", executable, "--json", ...args], {
      timeoutMs: 600_000,
      env: {},
    });
    const report = JSON.parse(result.stdout) as HostReport;
    if (!report.ok) console.error(result.stderr);
    return { scenarios, report };
  } finally {
    await rm(installed, { recursive: true, force: true });
  }
}
