// Runs the benchmarks that main.ts has built and prints Markdown tables on stdout (progress on
// stderr). Bundled to dist/bench-cli.mjs; see main.ts for the flags.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type {
  BenchRun,
  ColdStart,
  FrameReport,
  HostBenchCase,
  Machine,
  MemoryReport,
} from "./bench-results.js";
import { coldStart, idleRss } from "./cold-start.js";
import { frameTables } from "./frame-tables.js";
import { goalsTable } from "./goals-table.js";
import { hostBench } from "./host-bench.js";
import { roundTripTables } from "./round-trip-tables.js";

const benchDir = resolve(import.meta.dirname, "..");
const root = resolve(benchDir, "../..");
const paths = {
  framebench: join(benchDir, "go/bin/framebench"),
  frameBench: join(benchDir, "dist/frame-bench.mjs"),
  host: join(root, "tools/interop/bin/host"),
  refplugin: join(root, "tools/interop/bin/refplugin"),
  plugin: join(root, "examples/testdata/dist/gpx_testdata_linux_amd64"),
  results: join(benchDir, "dist/results.json"),
  markdown: join(benchDir, "dist/results.md"),
};

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { maxBuffer: 64 * 1024 * 1024, timeout: 900_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
      else resolvePromise(stdout);
    });
  });
}

function machine(goCommand: string): Machine {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  const totalKB = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0);
  let go = "unknown";
  try {
    go = execFileSync(goCommand, ["env", "GOVERSION"], { encoding: "utf8" }).trim();
  } catch {
    // reported as unknown
  }
  return {
    cores: availableParallelism(),
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    memoryGiB: Math.round(totalKB / 1024 / 1024),
    node: process.version,
    go,
    date: new Date().toISOString(),
    commit: gitCommit(),
    loadStart: loadavg()[0]!,
  };
}

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      encoding: "utf8",
    }).trim();
    const status = execFileSync(
      "git",
      ["status", "--porcelain", "--", ".", ":!tools/bench", ":!BENCHMARKS.md"],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    return status.trim() === "" ? head : `${head}+local changes`;
  } catch {
    return "unknown";
  }
}

async function runFrames(quick: boolean, rows: number): Promise<NonNullable<BenchRun["frames"]>> {
  const dump = mkdtempSync(join(tmpdir(), "gfsdk-bench-frames-"));
  try {
    const common = quick ? ["--quick"] : [];
    log("frames: Go (grafana-plugin-sdk-go) encode/decode timings");
    const go = JSON.parse(
      await run(paths.framebench, [...common, "-rows", `${rows}`, "-dump", dump]),
    ) as FrameReport;
    log("frames: TypeScript (@gfsdk/dataframe) encode/decode timings");
    const ts = JSON.parse(
      await run(process.execPath, [paths.frameBench, ...common, "--rows", `${rows}`, "--check-dir", dump]),
    ) as FrameReport;
    for (const check of ts.checks ?? []) {
      if (!check.equal)
        log(`WARNING: the TypeScript frame differs from Go's ${check.file}: ${check.difference}`);
    }
    const memory: MemoryReport[] = [];
    for (const op of ["encode-arrow", "encode-json"]) {
      log(`frames: peak memory of one ${op} of the rows frame, each in a fresh process`);
      memory.push(
        JSON.parse(
          await run(process.execPath, ["--expose-gc", paths.frameBench, "--memory", op, "--rows", `${rows}`]),
        ) as MemoryReport,
      );
      memory.push(
        JSON.parse(await run(paths.framebench, ["-memory", op, "-rows", `${rows}`])) as MemoryReport,
      );
    }
    return { ts, go, memory };
  } finally {
    rmSync(dump, { recursive: true, force: true });
  }
}

async function runRoundTrips(quick: boolean): Promise<NonNullable<BenchRun["roundTrip"]>> {
  const launches = quick ? 3 : 10;
  log(`cold start: ${launches} launches of each plugin, alternating, after one unmeasured launch each`);
  const cold: ColdStart = { ts: [], go: [] };
  await coldStart(paths.plugin);
  await coldStart(paths.refplugin);
  for (let i = 0; i < launches; i++) {
    cold.ts.push(await coldStart(paths.plugin));
    cold.go.push(await coldStart(paths.refplugin));
  }
  log(`idle RSS: ${launches} launches of each plugin, RSS 1.5 s after the handshake`);
  const idle: ColdStart = { ts: [], go: [] };
  for (let i = 0; i < launches; i++) {
    idle.ts.push(await idleRss(paths.plugin));
    idle.go.push(await idleRss(paths.refplugin));
  }
  const small = quick ? "2s" : "8s";
  const large = quick ? "3s" : "10s";
  const cases: HostBenchCase[] = [
    { query: "random_walk", rows: 100, concurrency: 1, duration: small },
    { query: "random_walk", rows: 100, concurrency: 32, duration: small },
    { query: "rows", rows: 1_000_000, concurrency: 1, duration: large },
    { query: "rows", rows: 1_000_000, concurrency: 32, duration: large },
  ];
  const results: NonNullable<BenchRun["roundTrip"]>["cases"] = [];
  for (const c of cases) {
    log(`round trips: ${c.query} ${c.rows} rows, concurrency ${c.concurrency}, ${c.duration} per plugin`);
    const ts = await hostBench(paths.host, paths.plugin, c);
    const go = await hostBench(paths.host, paths.refplugin, c);
    results.push({ case: c, ts, go });
  }
  return { cases: results, coldStart: cold, idleRss: idle };
}

/** Markdown for a run: machine, command, tables. */
export function renderRun(result: BenchRun): string {
  const m = result.machine;
  const parts = [
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB; Node ${m.node}; ${m.go}; commit ${m.commit}; ${m.date}; ` +
      `load average ${m.loadStart.toFixed(2)} at the start, ${m.loadEnd?.toFixed(2) ?? "?"} at the end.`,
    `Command: \`${result.command}\``,
  ];
  if (result.frames) parts.push(frameTables(result.frames.ts, result.frames.go, result.frames.memory));
  if (result.roundTrip)
    parts.push(roundTripTables(result.roundTrip.cases, result.roundTrip.coldStart, result.roundTrip.idleRss));
  parts.push(goalsTable(result));
  return `${parts.join("\n\n")}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      frames: { type: "boolean", default: false },
      roundtrip: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      rows: { type: "string", default: "1000000" },
      command: { type: "string", default: "npm run bench" },
      go: { type: "string", default: "go" },
    },
  });
  const all = !values.frames && !values.roundtrip;
  const result: BenchRun = { machine: machine(values.go), command: values.command };
  if (all || values.frames) result.frames = await runFrames(values.quick, Number(values.rows));
  if (all || values.roundtrip) result.roundTrip = await runRoundTrips(values.quick);
  result.machine.loadEnd = loadavg()[0]!;
  writeFileSync(paths.results, `${JSON.stringify(result, null, 2)}\n`);
  const markdown = renderRun(result);
  writeFileSync(paths.markdown, markdown);
  process.stdout.write(markdown);
  log(`raw results in ${paths.results}, tables in ${paths.markdown}`);
}

await main();
