import { execFile, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type PluginProcess, watchPluginProcess } from "./watch-plugin-process.js";

const packageDir = fileURLToPath(new URL("../../", import.meta.url));
const rootDir = join(packageDir, "../..");

/**
 * Bundles the fixture plugin executable (`entry`, a file of this directory; default
 * `fixture-main.ts`) into one ESM file with esbuild, as a plugin build would: Node cannot run
 * core's TypeScript (enums) directly. Returns its path.
 */
export async function bundleFixturePlugin(entry = "fixture-main.ts"): Promise<string> {
  const outfile = join(await mkdtemp(join(tmpdir(), "gfsdk-grpc-fixture-")), "fixture.mjs");
  await promisify(execFile)(join(rootDir, "node_modules/.bin/esbuild"), [
    join(packageDir, "src/testing", entry),
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--target=node22",
    "--log-level=warning",
    "--conditions=@gfsdk/source",
    // grpc-js is CommonJS and requires Node built-ins, which an ESM bundle has no `require` for.
    "--banner:js=import { createRequire as __gfsdkCreateRequire } from 'node:module'; const require = __gfsdkCreateRequire(import.meta.url);",
    `--outfile=${outfile}`,
  ]);
  return outfile;
}

/** The go-plugin environment Grafana gives a plugin, over a clean base (no inherited cookie). */
export function goPluginEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    grafana_plugin_type: "datasource",
    PLUGIN_PROTOCOL_VERSIONS: "2",
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
    ...extra,
  };
}

/** Starts the bundled fixture plugin with `env` (nothing inherited) and `args`, using this Node. */
export function startPluginProcess(
  bundle: string,
  env: Record<string, string>,
  args: string[] = [],
): PluginProcess {
  const child = spawn(process.execPath, [bundle, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  return watchPluginProcess(child);
}
