import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { extract } from "tar";
import type { NodePlatform } from "./build-target.js";

/**
 * The Node.js that every executable embeds, one version for every target (a blob must be made by
 * the Node.js it is injected into). 26.7.0, of the 26 LTS line, is the newest release that the
 * registry's `node-<os>-<arch>` packages have for all of linux x64/arm64, darwin x64, win x64 and
 * win arm64 (no 24.x release is published for all of them, none for win arm64), and Node 26
 * builds executables for other platforms itself (`--build-sea` with `executable`).
 */
export const seaNodeVersion = "26.7.0";

/** Options of {@link resolveNodeBinary}. */
export interface NodeRuntimeOptions {
  /** Where downloaded Node.js binaries are kept. Default {@link defaultCacheDir}. */
  cacheDir?: string;
  /** Where `npm pack` runs, so the project's `.npmrc` (registry, proxy) applies. Default the working directory. */
  cwd?: string;
  /** Progress lines. Default: none. */
  log?: (line: string) => void;
}

/**
 * The cache for downloaded Node.js binaries: `$GFSDK_CACHE_DIR`, else the platform's user cache
 * (`$XDG_CACHE_HOME/gfsdk` or `~/.cache/gfsdk`, `~/Library/Caches/gfsdk`, `%LOCALAPPDATA%\gfsdk`).
 * It lives outside the project so no output holds its path.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GFSDK_CACHE_DIR) return env.GFSDK_CACHE_DIR;
  if (process.platform === "win32")
    return join(env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"), "gfsdk");
  if (process.platform === "darwin") return join(homedir(), "Library", "Caches", "gfsdk");
  return join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "gfsdk");
}

/**
 * The `node` binary of `platform` at `version`: from the cache, or fetched once from the npm
 * registry's `node-<os>-<arch>` package with `npm pack` (which applies the user's registry
 * settings and checks the package's integrity) and kept in the cache.
 */
export async function resolveNodeBinary(
  platform: NodePlatform,
  version: string = seaNodeVersion,
  options: NodeRuntimeOptions = {},
): Promise<string> {
  const binaryName = platform.platform === "win32" ? "node.exe" : "node";
  const dir = join(options.cacheDir ?? defaultCacheDir(), "node", version, platform.packageSuffix);
  const binary = join(dir, binaryName);
  if (existsSync(binary)) return binary;

  const spec = `node-${platform.packageSuffix}@${version}`;
  options.log?.(`fetching ${spec} from the npm registry (once; kept in ${dir})`);
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, ".download-"));
  try {
    await runNpm(["pack", spec, "--silent", "--pack-destination", work], options.cwd ?? process.cwd());
    const tarball = (await readdir(work)).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${spec} wrote no tarball`);
    const member = `package/bin/${binaryName}`;
    await extract({ file: join(work, tarball), cwd: work, filter: (path) => path === member });
    const extracted = join(work, member);
    if (!existsSync(extracted)) throw new Error(`${spec} has no ${member}`);
    await chmod(extracted, 0o755);
    // A rename is atomic: a build running beside this one sees the whole binary or none.
    await rename(extracted, binary);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return binary;
}

/** Runs npm: the one that runs this script when there is one (`npm_execpath`), else `npm` from PATH. */
function runNpm(args: string[], cwd: string): Promise<void> {
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] =
    npmCli && /\.c?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ["npm", args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      shell: process.platform === "win32" && command === "npm",
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", (error) =>
      reject(new Error(`cannot run npm to fetch Node.js: ${error.message}; is npm on PATH?`)),
    );
    child.once("close", (code) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `npm ${args.join(" ")} failed (exit ${code}):\n${stderr.trim()}\n` +
              "gfsdk build fetches each target's Node.js from the npm registry once per machine: check the " +
              "network and the registry in your .npmrc, or point GFSDK_CACHE_DIR at a cache that has it.",
          ),
        );
    });
  });
}
