import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildPlugin } from "./build-plugin.js";
import { targetOf } from "./build-target.js";
import { watchPlugin } from "./bundle-plugin.js";

/** Options of {@link runDev}. */
export interface RunDevOptions {
  /** The plugin's project directory. Default the working directory. */
  projectDir?: string;
  /** The main module, relative to `projectDir`. Default `src/main.ts`. */
  entry?: string;
  /** Where the executable and plugin.json go, relative to `projectDir`. Default `dist`. */
  outDir?: string;
  /** Node's `--inspect` for the plugin: `true` for 127.0.0.1:9229, or `host:port`. Default off. */
  inspect?: boolean | string;
  /** Where downloaded Node.js binaries are kept. Default: the user cache. */
  cacheDir?: string;
  /** Extra export conditions for the bundler. Default none. */
  conditions?: string[];
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
  /** Where the plugin's own output goes. Default: this process's stdout and stderr. */
  stdio?: "inherit" | "pipe";
}

/** A running `gfsdk dev`. */
export interface DevSession {
  /** The plugin process now running, if any. */
  readonly child: ChildProcess | undefined;
  /** The debug bundle the plugin runs from, with its source map beside it. */
  readonly bundle: string;
  /** How many times the plugin has been started (1 after the first build). */
  readonly starts: number;
  /** Stops watching and stops the plugin (SIGTERM, so it removes its standalone files). */
  stop(): Promise<void>;
}

/**
 * `gfsdk dev`: builds this machine's executable into the out dir (Grafana launches it, and it
 * hands Grafana over to the standalone server), then runs the plugin from a debug bundle in
 * standalone mode (`--standalone`, the Go SDK's debugging mode) with source maps, and rebuilds and
 * restarts it on every change to its sources.
 */
export async function runDev(options: RunDevOptions = {}): Promise<DevSession> {
  const log = options.log ?? (() => {});
  const projectDir = resolve(options.projectDir ?? ".");
  const host = targetOf(process.platform, process.arch);
  if (!host)
    throw new Error(
      `gfsdk dev runs on linux, macOS and Windows (x64 or arm64), not ${process.platform}-${process.arch}`,
    );
  const { manifest } = await buildPlugin({ ...options, projectDir, targets: [host] });
  // Outside the project, so neither a watcher nor a frontend build sees it; removed on stop.
  const work = await mkdtemp(join(tmpdir(), "gfsdk-dev-"));
  const bundle = join(work, `${manifest.executable}.mjs`);
  const inspect = options.inspect === true ? "127.0.0.1:9229" : options.inspect || undefined;

  let child: ChildProcess | undefined;
  let starts = 0;
  let stopping = false;
  let restarting: Promise<void> = Promise.resolve();

  const stopChild = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, "exit");
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  const startChild = () => {
    const args = [
      "--enable-source-maps",
      ...(inspect ? [`--inspect=${inspect}`] : []),
      bundle,
      "--standalone",
    ];
    child = spawn(process.execPath, args, {
      cwd: projectDir,
      stdio: ["ignore", options.stdio ?? "inherit", options.stdio ?? "inherit"],
    });
    starts++;
    log(
      `${starts === 1 ? "started" : "restarted"} ${manifest.id} in standalone mode (pid ${child.pid})${inspect ? `, debugger on ${inspect}` : ""}`,
    );
  };

  const watcher = await watchPlugin(
    {
      entry: resolve(projectDir, options.entry ?? "src/main.ts"),
      outfile: bundle,
      projectDir,
      conditions: options.conditions,
    },
    (errors) => {
      if (stopping) return;
      if (errors.length > 0) {
        log(`build failed, the plugin keeps running its last good build:\n  ${errors.join("\n  ")}`);
        return;
      }
      restarting = restarting.then(async () => {
        await stopChild();
        if (!stopping) startChild();
      });
    },
  );
  log(
    `watching ${projectDir} for changes; Grafana's launched copy of ${manifest.executable} hands over to this one`,
  );
  return {
    get child() {
      return child;
    },
    get starts() {
      return starts;
    },
    bundle,
    async stop() {
      stopping = true;
      await watcher.dispose();
      await restarting;
      await stopChild();
      await rm(work, { recursive: true, force: true });
    },
  };
}
