import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type PluginProcess, pluginEnvironment, watchPluginProcess } from "@gfsdk/testing";
import { afterAll, beforeAll } from "vitest";

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

/** A fixture bundle that {@link useFixtureBundle} builds before the file's tests and removes after. */
export interface FixtureBundle {
  /** The bundle's path; read it in tests and hooks, once the build hook has run. */
  readonly path: string;
}

/**
 * Registers the hooks that bundle the fixture executable `entry` before this test file's tests
 * (see {@link bundleFixturePlugin}) and remove it after them. Call it at the top of the file,
 * before hooks that start the plugin, so the bundle exists when they run.
 */
export function useFixtureBundle(entry = "fixture-main.ts"): FixtureBundle {
  let path: string | undefined;
  beforeAll(async () => {
    path = await bundleFixturePlugin(entry);
  });
  afterAll(async () => {
    if (path !== undefined) await rm(dirname(path), { recursive: true, force: true });
  });
  return {
    get path() {
      if (path === undefined) throw new Error(`the fixture bundle of ${entry} is not built yet`);
      return path;
    },
  };
}

/**
 * The go-plugin environment Grafana gives a plugin (`@gfsdk/testing`'s `pluginEnvironment`), over
 * a clean base (only PATH; no inherited cookie), with `extra` on top.
 */
export function goPluginEnv(extra: Record<string, string> = {}): Record<string, string> {
  return pluginEnvironment({ base: { PATH: process.env.PATH ?? "" }, env: extra });
}

/** Starts the bundled fixture plugin with `env` (nothing inherited) and `args`, using this Node. */
export function startPluginProcess(
  bundle: string,
  env: Record<string, string>,
  args: string[] = [],
): PluginProcess {
  const child = spawn(process.execPath, [bundle, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  return watchPluginProcess(child, { name: "the fixture plugin" });
}
