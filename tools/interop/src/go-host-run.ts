import { existsSync } from "node:fs";
import { join } from "node:path";
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
 * every scenario against the testdata executable, with `args` added.
 */
export async function runGoHost(binary: string, args: string[] = []): Promise<HostRun> {
  if (!existsSync(testdataExecutable)) {
    throw new Error(`${testdataExecutable} is missing: run \`npm run build\` first (npm test does)`);
  }
  const host = await buildGoCommand("host", binary);
  const scenarios = (await runCommand(host, ["--list"])).stdout.split("\n").filter((l) => l.trim() !== "");
  const result = await runCommand(host, ["--plugin", testdataExecutable, "--json", ...args], {
    timeoutMs: 600_000,
  });
  const report = JSON.parse(result.stdout) as HostReport;
  if (!report.ok) console.error(result.stderr);
  return { scenarios, report };
}
