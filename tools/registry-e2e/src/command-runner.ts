import { type ChildProcess, spawn } from "node:child_process";

/** How one command runs. */
export interface RunOptions {
  cwd: string;
  /** The child's whole environment (nothing is inherited from this process). */
  env: NodeJS.ProcessEnv;
  /** The command's process group is killed after this long and the run fails. */
  timeoutMs: number;
  /** Resolve with a non-zero exit code instead of failing. Default false. */
  allowFailure?: boolean;
}

/** What a finished command left. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs commands and can stop every one still running. */
export interface CommandRunner {
  /**
   * Runs `command args` with stdin closed and its output collected. Fails when it cannot start,
   * times out, is killed by a signal or, unless `allowFailure`, exits non-zero; the error names the
   * command and carries the end of its output.
   */
  run(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult>;
  /** Kills the process group of every command still running and waits for them to end. */
  stopAll(): Promise<void>;
}

/** Most of a failed command's output is noise; its end says what went wrong. */
const tailChars = 6000;

/** Output beyond this is dropped from the start, so a chatty command cannot exhaust memory. */
const maxOutputChars = 8 * 1024 * 1024;

/**
 * Creates a {@link CommandRunner}. Each command is the leader of its own process group, so killing
 * it also ends what it started (npm runs scripts, which run vitest or esbuild).
 */
export function createCommandRunner(): CommandRunner {
  const running = new Map<ChildProcess, Promise<unknown>>();

  // Also called after the leader exited: what it started may still be running in its group.
  function killGroup(child: ChildProcess): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  }

  return {
    run(command, args, options) {
      const shown = [command, ...args].join(" ");
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout = (stdout + chunk).slice(-maxOutputChars);
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-maxOutputChars);
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, options.timeoutMs);

      const done = new Promise<CommandResult>((resolve, reject) => {
        const fail = (why: string) =>
          reject(
            new Error(
              `${shown} (in ${options.cwd}) ${why}\n--- stdout (end) ---\n${stdout.slice(-tailChars)}\n--- stderr (end) ---\n${stderr.slice(-tailChars)}`,
            ),
          );
        child.once("error", (error) => fail(`could not run: ${error.message}`));
        // "close", not "exit": the output streams are complete only then.
        child.once("close", (code, signal) => {
          if (timedOut) fail(`timed out after ${options.timeoutMs} ms`);
          else if (code === null) fail(`was killed by ${signal}`);
          else if (code !== 0 && !options.allowFailure) fail(`exited with ${code}`);
          else resolve({ code, stdout, stderr });
        });
      }).finally(() => {
        clearTimeout(timer);
        killGroup(child);
        running.delete(child);
      });
      running.set(
        child,
        done.catch(() => undefined),
      );
      return done;
    },

    async stopAll() {
      for (const child of running.keys()) killGroup(child);
      await Promise.all(running.values());
    },
  };
}
