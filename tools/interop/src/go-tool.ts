import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The Go module's directory, tools/interop. */
export const interopDir = resolve(import.meta.dirname, "..");

/** The repository root. */
export const repoRoot = resolve(interopDir, "../..");

/**
 * Builds one command of the Go module into bin/ (as `bin/<output>`, default its name) and returns
 * its path. Test files run in parallel: one that builds a command another file also builds gives
 * its own `output`, so neither build replaces the executable the other is running. A missing Go
 * toolchain is an error, never a skip: these tests are the proof against the real peer.
 */
export async function buildGoCommand(
  name: "faults" | "frames" | "host" | "refplugin" | "smoke" | "soak",
  output: string = name,
): Promise<string> {
  const out = join(interopDir, "bin", output);
  try {
    await run("go", ["build", "-o", out, `./cmd/${name}`], {
      cwd: interopDir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT")
      throw new Error("Go is not installed: the interop tests need the go toolchain on PATH");
    throw new Error(`go build ./cmd/${name} failed: ${e.stderr || e.message}`);
  }
  return out;
}

/** Runs a built command and returns its exit code and output; `env` replaces the environment. */
export async function runCommand(
  path: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path, args, {
      maxBuffer: 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 300_000,
      ...(options.env ? { env: options.env } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
