import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandRunner } from "./command-runner.js";

/** True once `pid` no longer runs (gone, or a zombie waiting to be reaped). */
async function isGone(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Waits until `pid` is gone, failing after `ms`. */
async function waitGone(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await isGone(pid))) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs after ${ms} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("createCommandRunner", () => {
  const runner = createCommandRunner();
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gfsdk-command-runner-test-"));
  });
  afterAll(async () => {
    await runner.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  it("collects stdout and stderr and passes only the given environment", async () => {
    const result = await runner.run(
      "sh",
      ["-c", 'echo "out $ONLY"; echo err >&2; if [ -z "$HOME" ]; then echo home=none; fi'],
      {
        cwd: dir,
        env: { ...env, ONLY: "this" },
        timeoutMs: 10_000,
      },
    );
    expect(result).toEqual({ code: 0, stdout: "out this\nhome=none\n", stderr: "err\n" });
  });

  it("fails on a non-zero exit with the command and the end of its output, unless allowed", async () => {
    const args = ["-c", "echo before-failing; echo why >&2; exit 3"];
    await expect(runner.run("sh", args, { cwd: dir, env, timeoutMs: 10_000 })).rejects.toThrow(
      /sh -c .* exited with 3\n--- stdout \(end\) ---\nbefore-failing\n\n--- stderr \(end\) ---\nwhy/,
    );
    const allowed = await runner.run("sh", args, { cwd: dir, env, timeoutMs: 10_000, allowFailure: true });
    expect(allowed.code).toBe(3);
  });

  it("fails when the command cannot start", async () => {
    await expect(
      runner.run(join(dir, "no-such-command"), [], { cwd: dir, env, timeoutMs: 10_000, allowFailure: true }),
    ).rejects.toThrow(/could not run: .*ENOENT/);
  });

  it("kills the whole process group on timeout", async () => {
    const pidFile = join(dir, "grandchild.pid");
    // The grandchild would outlive its parent if only the parent were killed.
    const script = `sleep 60 & echo $! > ${pidFile}; wait`;
    await expect(runner.run("sh", ["-c", script], { cwd: dir, env, timeoutMs: 2_000 })).rejects.toThrow(
      /timed out after 2000 ms/,
    );
    await waitGone(Number(await readFile(pidFile, "utf8")), 5_000);
  });

  it("stopAll kills what is still running", async () => {
    const running = runner.run("sh", ["-c", "sleep 60"], { cwd: dir, env, timeoutMs: 60_000 });
    const outcome = running.then(
      () => "finished",
      (error: Error) => error.message,
    );
    await runner.stopAll();
    expect(await outcome).toMatch(/was killed by SIGKILL/);
  });
});
