// The main job: launch the built testdata plugin the way Grafana does — through hashicorp
// go-plugin with Grafana's client configuration (tools/interop's Go host) — and run every
// scenario of its contract against it, then show its health answer and one frame as the Go SDK
// decodes it. Run by `npm start` after `npm run build`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const interop = join(root, "tools/interop");
const executable = join(root, "examples/testdata/dist/gpx_testdata_linux_amd64");
const shown = relative(root, executable);

if (!existsSync(executable)) {
  console.error(`${shown} is missing: run \`npm run build\` first`);
  process.exit(1);
}

function goBuild(command: string): string {
  const out = join(interop, "bin", command);
  const built = spawnSync("go", ["build", "-o", out, `./cmd/${command}`], { cwd: interop, stdio: "inherit" });
  if (built.error || built.status !== 0) {
    console.error(built.error ? `cannot run go: ${built.error.message}` : `go build ./cmd/${command} failed`);
    process.exit(1);
  }
  return out;
}

console.log(
  "Building the Go host (hashicorp/go-plugin + grafana-plugin-sdk-go, as Grafana's plugin manager)…",
);
const host = goBuild("host");
const smoke = goBuild("smoke");

console.log(
  `\n1. Every scenario of testdata's contract against ${shown}, launched as Grafana launches it:\n`,
);
const ran = spawnSync(host, ["--plugin", executable, "--json", ...process.argv.slice(2)], {
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
let report: { ok: boolean; scenarios: { name: string; ok: boolean; error: string; ms: number }[] };
try {
  report = JSON.parse(ran.stdout);
} catch {
  console.error(ran.stderr || ran.error?.message || "the Go host printed no report");
  process.exit(1);
}
for (const scenario of report.scenarios) {
  const verdict = scenario.ok ? "PASS" : "FAIL";
  console.log(
    `  ${verdict} ${scenario.name.padEnd(36)} ${String(scenario.ms).padStart(5)} ms${scenario.ok ? "" : `  ${scenario.error}`}`,
  );
}
const passed = report.scenarios.filter((scenario) => scenario.ok).length;
console.log(`\n  ${passed} of ${report.scenarios.length} scenarios passed.`);

console.log("\n2. Its health answer and one random_walk frame, decoded by the Go SDK:\n");
const shownSmoke = spawnSync(
  smoke,
  ["--plugin", executable, "--query-type", "random_walk", "--query-json", '{"seriesCount":1}', "--rows", "5"],
  {
    stdio: "inherit",
    // Grafana's environment only: no PATH, no HOME.
    env: {},
  },
);

const ok = report.ok && passed === report.scenarios.length && shownSmoke.status === 0;
console.log(ok ? "\nAll passed." : "\nFAILED: see above.");
process.exit(ok ? 0 : 1);
