import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { buildSea } from "./build-sea.js";
import {
  type BuildTarget,
  buildTargets,
  executableFileName,
  type NodePlatform,
  nodePlatformOf,
  targetOf,
} from "./build-target.js";
import { bundlePlugin } from "./bundle-plugin.js";
import { assertSupportedNode, isNodeVersionAtLeast } from "./node-requirement.js";
import { resolveNodeBinary, seaNodeVersion } from "./node-runtime.js";
import { loadPluginManifest, type PluginManifest, renderPluginManifest } from "./plugin-manifest.js";

/** Options of {@link buildPlugin}. */
export interface BuildPluginOptions {
  /** The plugin's project directory (with package.json and src/plugin.json). Default the working directory. */
  projectDir?: string;
  /** The main module, relative to `projectDir`. Default `src/main.ts`. */
  entry?: string;
  /** Where the executables and plugin.json go, relative to `projectDir`. Default `dist`. */
  outDir?: string;
  /** Default: every target in {@link buildTargets}. */
  targets?: readonly BuildTarget[];
  /** Where downloaded Node.js binaries are kept. Default: the user cache (see `defaultCacheDir`). */
  cacheDir?: string;
  /** Extra export conditions for the bundler. Default none. */
  conditions?: string[];
  /** The Node.js version inside the executables. Default {@link seaNodeVersion}; it must be ≥ 25.5 and published for every target. */
  nodeVersion?: string;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
}

/** One executable written by {@link buildPlugin}. */
export interface BuiltExecutable {
  target: BuildTarget;
  /** Absolute path of the file. */
  file: string;
  /** Size in bytes. */
  bytes: number;
  /** Time this target took, in ms. */
  ms: number;
  /** Whether V8's code cache is embedded (only for the building machine's own platform). */
  codeCache: boolean;
  /** What the user should know about this target, e.g. that it runs under Rosetta 2. */
  note?: string;
}

/** What {@link buildPlugin} wrote. */
export interface BuildResult {
  manifest: PluginManifest;
  outDir: string;
  executables: BuiltExecutable[];
}

/** The Node.js binary an executable is made from, and what to tell the user about it. */
interface TargetRuntime {
  platform: NodePlatform;
  /** A binary to use instead of a downloaded one (the running Node.js on an Apple Silicon Mac). */
  binary?: string;
  note?: string;
}

/** Said of a darwin-arm64 build from the darwin-x64 Node.js (see the README: "macOS"). */
const rosettaNote = (version: string) =>
  `x86_64: runs under Rosetta 2; npm has no Node.js ${version} for darwin-arm64`;

function targetRuntime(target: BuildTarget, version: string): TargetRuntime {
  if (target !== "darwin-arm64") return { platform: nodePlatformOf(target) };
  if (process.platform === "darwin" && process.arch === "arm64" && process.versions.node === version)
    return { platform: nodePlatformOf(target), binary: process.execPath };
  return { platform: nodePlatformOf("darwin-amd64"), note: rosettaNote(version) };
}

/**
 * The Node.js that runs `--build-sea` here, and the platform whose binaries it makes code caches
 * for: the running Node.js if it is the pinned version, else the pinned one for this machine.
 */
async function builderNode(
  options: BuildPluginOptions,
  version: string,
  cwd: string,
): Promise<{ binary: string; platform: NodePlatform }> {
  const host = targetOf(process.platform, process.arch);
  if (!host)
    throw new Error(
      `gfsdk build runs on linux, macOS and Windows (x64 or arm64), not ${process.platform}-${process.arch}`,
    );
  const runtime = targetRuntime(host, version);
  if (process.versions.node === version && runtime.note === undefined)
    return { binary: process.execPath, platform: runtime.platform };
  return {
    binary: runtime.binary ?? (await resolveNodeBinary(runtime.platform, version, { ...options, cwd })),
    platform: runtime.platform,
  };
}

/** The executables of earlier builds: `<executable>_<os>_<arch>[.exe]` for any target. */
function isOwnExecutable(name: string, executable: string): boolean {
  return buildTargets.some((target) => name === executableFileName(executable, target));
}

async function readProjectVersion(projectDir: string): Promise<string> {
  try {
    const manifest = JSON.parse(await readFile(join(projectDir, "package.json"), "utf8")) as {
      version?: unknown;
    };
    return typeof manifest.version === "string" ? manifest.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/**
 * Builds a backend plugin for Grafana: bundles the entry with esbuild, then writes one
 * self-contained executable per target (a Node.js single executable application; no Node.js
 * needed where it runs) and plugin.json into the out dir. Files of the frontend build in the same
 * dir (module.js, img/…) are left alone; only earlier executables of this plugin are replaced.
 */
export async function buildPlugin(options: BuildPluginOptions = {}): Promise<BuildResult> {
  assertSupportedNode();
  const log = options.log ?? (() => {});
  const projectDir = resolve(options.projectDir ?? ".");
  const nodeVersion = options.nodeVersion ?? seaNodeVersion;
  // --build-sea came in Node.js 25.5.
  if (!isNodeVersionAtLeast(nodeVersion, 25, 5))
    throw new Error(
      `Node.js version "${nodeVersion}" cannot build executables: use 25.5.0 or newer (default ${seaNodeVersion})`,
    );
  const { manifest } = await loadPluginManifest(projectDir);
  const entry = resolve(projectDir, options.entry ?? "src/main.ts");
  try {
    await stat(entry);
  } catch {
    throw new Error(
      `the entry ${relative(projectDir, entry)} does not exist: pass --entry <file>, the module that calls serve()`,
    );
  }
  const outDir = resolve(projectDir, options.outDir ?? "dist");
  const targets = options.targets ?? buildTargets;

  const work = await mkdtemp(join(tmpdir(), "gfsdk-build-"));
  try {
    const bundle = join(work, `${manifest.executable}.mjs`);
    const bundleStart = performance.now();
    await bundlePlugin({ entry, outfile: bundle, projectDir, conditions: options.conditions });
    log(
      `bundled ${relative(projectDir, entry)} (${formatBytes((await stat(bundle)).size)}, ${formatMs(performance.now() - bundleStart)})`,
    );

    await mkdir(outDir, { recursive: true });
    for (const name of await readdir(outDir)) {
      if (isOwnExecutable(name, manifest.executable)) await rm(join(outDir, name), { force: true });
    }
    const builder = await builderNode(options, nodeVersion, projectDir);
    const executables: (BuiltExecutable & { targetNode: string })[] = [];
    for (const target of targets) {
      const start = performance.now();
      const runtime = targetRuntime(target, nodeVersion);
      const targetNode =
        runtime.binary ??
        (await resolveNodeBinary(runtime.platform, nodeVersion, { ...options, cwd: projectDir, log }));
      // A code cache only loads on the platform that made it.
      const codeCache = builder.platform.packageSuffix === runtime.platform.packageSuffix;
      const file = join(outDir, executableFileName(manifest.executable, target));
      // darwin-arm64 from the darwin-x64 Node.js is the darwin-amd64 file again: copy it.
      const same = executables.find((built) => built.targetNode === targetNode);
      if (same) await copyFile(same.file, file);
      else
        await buildSea({
          builderNode: builder.binary,
          targetNode,
          main: bundle,
          output: file,
          useCodeCache: codeCache,
        });
      const built = {
        target,
        file,
        bytes: (await stat(file)).size,
        ms: performance.now() - start,
        codeCache,
        targetNode,
        ...(runtime.note ? { note: runtime.note } : {}),
      };
      executables.push(built);
      log(
        `${relative(projectDir, file).padEnd(40)} ${formatBytes(built.bytes).padStart(9)} ${formatMs(built.ms).padStart(7)}` +
          (built.note ? `  (${built.note})` : ""),
      );
    }
    const manifestFile = join(outDir, "plugin.json");
    await writeFile(
      manifestFile,
      renderPluginManifest(manifest, await readProjectVersion(projectDir), new Date()),
    );
    log(`${relative(projectDir, manifestFile)}`);
    return { manifest, outDir, executables: executables.map(({ targetNode: _, ...built }) => built) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `148.2 MB`: decimal megabytes, as `ls -h --si` shows them. */
export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
