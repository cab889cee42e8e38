// The long fuzz run: every property of packages/conformance/src/fuzz with GFSDK_FUZZ_RUNS inputs
// each (serve() with a tenth of them), in one vitest process, then a table of each property's
// inputs and time for RELIABILITY.md (Fuzzing).
//
//   node tools/scripts/fuzz.ts --runs 20000 [--file grpc-requests]
//
// A failure prints fast-check's seed and path; replay it with the same GFSDK_FUZZ_RUNS and
// `fc.assert(..., { seed, path })`, then keep the input in fuzz-regressions.test.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "../..");
const { values } = parseArgs({
  options: { runs: { type: "string", default: "10000" }, file: { type: "string" } },
});
const runs = Number(values.runs);
if (!Number.isSafeInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer, got ${values.runs}`);
  process.exit(2);
}

interface JsonReport {
  numFailedTests: number;
  testResults: {
    name: string;
    assertionResults: { fullName: string; status: string; duration?: number }[];
  }[];
}

const dir = mkdtempSync(join(tmpdir(), "gfsdk-fuzz-"));
const report = join(dir, "report.json");
const target = `packages/conformance/src/fuzz${values.file ? `/${values.file}` : ""}`;
const started = Date.now();
const result = spawnSync(
  join(root, "node_modules/.bin/vitest"),
  ["run", target, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
  { cwd: root, stdio: "inherit", env: { ...process.env, GFSDK_FUZZ_RUNS: String(runs) } },
);
const wallSeconds = (Date.now() - started) / 1000;
try {
  const parsed = JSON.parse(readFileSync(report, "utf8")) as JsonReport;
  console.log(`\nGFSDK_FUZZ_RUNS=${runs}, ${wallSeconds.toFixed(0)} s wall\n`);
  console.log("| file | property | status | seconds |");
  console.log("| --- | --- | --- | ---: |");
  for (const file of parsed.testResults) {
    const name = file.name.slice(file.name.lastIndexOf("/") + 1);
    for (const test of file.assertionResults) {
      console.log(
        `| ${name} | ${test.fullName} | ${test.status} | ${((test.duration ?? 0) / 1000).toFixed(1)} |`,
      );
    }
  }
} catch (error) {
  console.error(`no vitest report: ${(error as Error).message}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(result.status ?? 1);
