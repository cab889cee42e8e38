// `npm run bench`: builds what the benchmarks need, runs them one at a time, prints Markdown tables.
//
//   npm run bench [-- --frames] [--roundtrip] [--quick] [--rows N] [--rebuild-plugin]
//
// --frames      only the frame encode/decode benchmark (TypeScript against the Go SDK and memcpy)
// --roundtrip   only the QueryData round trips through tools/interop's Go host, and cold start
// --quick       fewer runs and shorter loads (a smoke test; the numbers are noisy)
// --rows N      rows of the frame benchmark's rows frame (default 1,000,000)
// --rebuild-plugin  rebuild examples/testdata/dist even if its executable exists
//
// Builds: tools/bench/go (go build), tools/interop's host and refplugin (go build), the testdata
// plugin when missing, and dist/frame-bench.mjs + dist/bench-cli.mjs (esbuild bundles of src/, since
// workspace sources use TypeScript enums that Node cannot strip). Then runs dist/bench-cli.mjs.
// Not part of `npm test`: tests assert behaviour, never timings.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const benchDir = resolve(import.meta.dirname, "..");
const root = resolve(benchDir, "../..");
const pluginExecutable = join(root, "examples/testdata/dist/gpx_testdata_linux_amd64");

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    frames: { type: "boolean", default: false },
    roundtrip: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    rows: { type: "string" },
    "rebuild-plugin": { type: "boolean", default: false },
  },
});
const all = !values.frames && !values.roundtrip;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * Runs a command to completion, its output on stderr. On failure it exits, unless every file in
 * `fallback` exists: then it warns and the benchmark uses those (e.g. binaries built earlier while
 * someone edits tools/interop).
 */
function step(what: string, command: string, args: string[], cwd: string, fallback: string[] = []): void {
  log(what);
  // Build output goes to stderr: stdout carries only the tables.
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", 2, 2] });
  if (!result.error && result.status === 0) return;
  const why = result.error?.message ?? `exit status ${result.status}`;
  if (fallback.length > 0 && fallback.every((file) => existsSync(file))) {
    log(`WARNING: ${what} failed (${why}); using the existing ${fallback.join(", ")}`);
    return;
  }
  log(`${what} failed: ${why}`);
  process.exit(1);
}

/** Newest modification time (ms) of the non-test TypeScript files under `dirs`. */
function newestSource(dirs: string[]): number {
  let newest = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** `go` from PATH, else the usual install location. */
function findGo(): string {
  const probe = spawnSync("go", ["version"], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0 ? "go" : "/usr/local/go/bin/go";
}

const go = findGo();
if (all || values.frames) {
  step(
    "go build tools/bench/go (framebench)",
    go,
    ["build", "-o", "bin/", "./cmd/..."],
    join(benchDir, "go"),
  );
}
if (all || values.roundtrip) {
  const interop = join(root, "tools/interop");
  const bins = ["bin/host", "bin/refplugin"].map((bin) => join(interop, bin));
  const goArgs = ["build", "-o", "bin/", "./cmd/host", "./cmd/refplugin"];
  step("go build tools/interop (host, refplugin)", go, goArgs, interop, bins);
  const testdata = join(root, "examples/testdata");
  if (values["rebuild-plugin"] || !existsSync(pluginExecutable)) {
    const gfsdk = join(root, "packages/cli/bin/gfsdk.js");
    step(
      "gfsdk build examples/testdata (the TypeScript plugin)",
      process.execPath,
      [gfsdk, "build", "--target", "linux-amd64"],
      testdata,
    );
  } else {
    const packages = readdirSync(join(root, "packages")).map((name) => join(root, "packages", name, "src"));
    if (newestSource([join(testdata, "src"), ...packages]) > statSync(pluginExecutable).mtimeMs) {
      log("WARNING: examples/testdata/dist is older than the sources; --rebuild-plugin rebuilds it");
    }
  }
}
log("esbuild src/frame-bench.ts and src/bench-cli.ts into dist/");
await build({
  entryPoints: {
    "frame-bench": join(benchDir, "src/frame-bench.ts"),
    "bench-cli": join(benchDir, "src/bench-cli.ts"),
  },
  outdir: join(benchDir, "dist"),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  conditions: ["@gfsdk/source"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  sourcemap: "linked",
  logLevel: "warning",
});

const flags = process.argv.slice(2);
const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(" ")}` : ""}`;
const forwarded = [
  ...(values.frames ? ["--frames"] : []),
  ...(values.roundtrip ? ["--roundtrip"] : []),
  ...(values.quick ? ["--quick"] : []),
  ...(values.rows !== undefined ? ["--rows", values.rows] : []),
];
const ran = spawnSync(
  process.execPath,
  [join(benchDir, "dist/bench-cli.mjs"), ...forwarded, "--command", command, "--go", go],
  { stdio: "inherit" },
);
process.exit(ran.status ?? 1);
