import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const packageDir = fileURLToPath(new URL("../../", import.meta.url));
const rootDir = join(packageDir, "../..");

/**
 * Bundles the fixture plugin executable (`fixture-main.ts`) into one ESM file with esbuild, as a
 * plugin build would: Node cannot run core's TypeScript (enums) directly. Returns its path.
 */
export async function bundleFixturePlugin(): Promise<string> {
  const outfile = join(await mkdtemp(join(tmpdir(), "gfsdk-grpc-fixture-")), "fixture.mjs");
  await promisify(execFile)(join(rootDir, "node_modules/.bin/esbuild"), [
    join(packageDir, "src/testing/fixture-main.ts"),
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

/** A plugin executable running as a child process, with its output collected. */
export interface PluginProcess {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** The first stdout line, once it is complete. */
  handshake: Promise<string>;
  /** The exit status, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
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

/** Collects a child's stdout and stderr and watches for its handshake and exit. */
export function watchPluginProcess(child: ChildProcess): PluginProcess {
  let out = "";
  let err = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const handshake = new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const end = out.indexOf("\n");
      if (end >= 0) resolve(out.slice(0, end));
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`the plugin exited (${code ?? signal}) before its handshake; stderr: ${err}`)),
    );
  });
  handshake.catch(() => {});
  return { child, stdout: () => out, stderr: () => err, handshake, exited };
}
