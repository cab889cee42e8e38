// The main job: launch the built testdata plugin the way Grafana does — through hashicorp
// go-plugin with Grafana's client configuration (tools/interop's Go host) — and run every
// scenario of its contract against it. Run by `npm start` after `npm run build`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const interop = join(root, "tools/interop");
const host = join(interop, "bin/host");
const executable = join(root, "examples/testdata/dist/gpx_testdata_linux_amd64");

if (!existsSync(executable)) {
  console.error(`${executable} is missing: run \`npm run build\` first`);
  process.exit(1);
}
console.error("building the Go host (hashicorp/go-plugin + grafana-plugin-sdk-go)…");
const built = spawnSync("go", ["build", "-o", host, "./cmd/host"], { cwd: interop, stdio: "inherit" });
if (built.error || built.status !== 0) {
  console.error(built.error ? `cannot run go: ${built.error.message}` : "go build failed");
  process.exit(1);
}
console.error(`launching ${executable} as Grafana would, and running every scenario:`);
const ran = spawnSync(host, ["--plugin", executable, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(ran.status ?? 1);
