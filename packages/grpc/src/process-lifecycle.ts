import type { Logger } from "@gfsdk/core";
import { isProcessAlive } from "./process-alive.js";

/** Options of {@link startProcessLifecycle}. */
export interface ProcessLifecycleOptions {
  logger: Logger;
  /** Runs once when the process should end: SIGTERM, SIGINT when not ignored, the parent gone, or `check`. */
  onStop: (reason: string) => void;
  /** `"ignore"` as go-plugin does (Ctrl-C in the host's terminal must not kill plugins first), or `"stop"`. */
  interrupt: "ignore" | "stop";
  /** How often to look at the parent process and run `check`, in ms. */
  intervalMs: number;
  /** Run at every poll; a returned reason stops the process. */
  check?: () => Promise<string | undefined>;
  /** Keep the event loop alive while nothing else does (the locator serves nothing). Default false. */
  keepAlive?: boolean;
  /** Runs synchronously if the process exits before `stop()` was called, for last cleanup. */
  onExit?: () => void;
}

/**
 * Ties a plugin to its host the way go-plugin plugins are tied: SIGTERM stops it, SIGINT is ignored
 * (or stops it), it stops when its parent process goes away (polling, so no orphan survives a host
 * that was killed), and a stray promise rejection is logged instead of crashing it. Node's own
 * process warnings and an uncaught exception are logged as hclog lines at `warn` and `error` (Grafana
 * would otherwise re-log Node's plain-text lines without a level); an uncaught exception still ends
 * the process with exit code 1, as Node does. Returns a function that removes all of it.
 */
export function startProcessLifecycle(options: ProcessLifecycleOptions): () => void {
  const { logger } = options;
  let stopped = false;
  const stop = (reason: string) => {
    if (stopped) return;
    stopped = true;
    options.onStop(reason);
  };
  let interrupts = 0;
  const onInterrupt = () => {
    if (options.interrupt === "stop") return stop("received SIGINT");
    interrupts++;
    logger.trace("plugin received interrupt signal, ignoring", { count: interrupts });
  };
  const onTerminate = () => stop("received SIGTERM");
  const onRejection = (reason: unknown) => {
    logger.error("Unhandled promise rejection", {
      error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason),
    });
  };
  const onWarning = (warning: Error & { code?: string }) => {
    logger.warn(warning.message, {
      warning: warning.name,
      ...(warning.code === undefined ? {} : { code: warning.code }),
    });
  };
  const onUncaught = (error: unknown) => {
    logger.error("Uncaught exception, exiting", {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    // The line above is written synchronously (stderr is a pipe or a file), so exiting loses
    // nothing; `exit` listeners (onExit) still run.
    process.exit(1);
  };
  const onExit = () => options.onExit?.();
  // Node prints warnings through a listener of its own: replace it while the plugin runs.
  const nodeWarningListeners = process.listeners("warning");
  for (const listener of nodeWarningListeners) process.off("warning", listener);
  process.on("warning", onWarning);
  process.on("uncaughtException", onUncaught);
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onTerminate);
  process.on("unhandledRejection", onRejection);
  process.on("exit", onExit);

  // When the parent dies the kernel gives us a new one (init or a subreaper); on Windows the
  // parent pid stays, so also ask whether that process still exists.
  const parent = process.ppid;
  let polling = false;
  const timer = setInterval(async () => {
    if (polling || stopped) return;
    polling = true;
    try {
      if (process.ppid !== parent || (parent > 1 && !isProcessAlive(parent))) {
        return stop(`parent process ${parent} exited`);
      }
      const reason = await options.check?.().catch(() => undefined);
      if (reason !== undefined) stop(reason);
    } finally {
      polling = false;
    }
  }, options.intervalMs);
  if (!options.keepAlive) timer.unref();

  return () => {
    stopped = true;
    clearInterval(timer);
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onTerminate);
    process.off("unhandledRejection", onRejection);
    process.off("exit", onExit);
    process.off("uncaughtException", onUncaught);
    process.off("warning", onWarning);
    for (const listener of nodeWarningListeners) process.on("warning", listener);
  };
}
