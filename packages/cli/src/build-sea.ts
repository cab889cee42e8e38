import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Options of {@link buildSea}. */
export interface BuildSeaOptions {
  /** The Node.js that builds: same version as `targetNode`, runnable here. */
  builderNode: string;
  /** The target platform's `node` binary, which the blob is injected into (a copy of it). */
  targetNode: string;
  /** The bundled ES module. Its directory is the build's working directory. */
  main: string;
  /** The executable to write. */
  output: string;
  /** Embed V8's code cache: only when the target is the builder's own platform. */
  useCodeCache: boolean;
}

/**
 * Makes a Node.js single executable application with `node --build-sea` (Node ≥ 25.5): the
 * target's `node` with the bundle (and its code cache) injected. The output has mode 0755.
 */
export async function buildSea(options: BuildSeaOptions): Promise<void> {
  const work = dirname(options.main);
  const configDir = await mkdtemp(join(work, "sea-"));
  try {
    const config = join(configDir, "sea-config.json");
    await writeFile(
      config,
      JSON.stringify({
        // Relative to the working directory: the blob records this name, and it must not be a
        // path of the build machine.
        main: basename(options.main),
        mainFormat: "module",
        executable: options.targetNode,
        output: options.output,
        disableExperimentalSEAWarning: true,
        useCodeCache: options.useCodeCache,
        useSnapshot: false,
      }),
    );
    await run(options.builderNode, ["--build-sea", config], work);
    await stat(options.output);
    await chmod(options.output, 0o755);
  } finally {
    await rm(configDir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // NODE_OPTIONS of the calling shell must not reach the builder (an --inspect would hang it).
    const { NODE_OPTIONS: _, ...env } = process.env;
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.once("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`node --build-sea failed (exit ${code}):\n${output.trim()}`));
    });
  });
}
