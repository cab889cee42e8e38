import type { ChildProcess } from "node:child_process";
import { type PluginProcess as WatchedProcess, watchPluginProcess as watch } from "@gfsdk/testing";

/** A plugin executable running as a child process, with its output collected. */
export interface PluginProcess extends Omit<WatchedProcess, "handshake"> {
  /** The first stdout line, once it is complete. */
  handshake: Promise<string>;
}

/**
 * Collects a child's stdout and stderr and watches for its handshake line and exit.
 * @deprecated Use `watchPluginProcess` of `@gfsdk/testing`, whose `handshake` is parsed (the line
 * is its `handshakeLine`).
 */
export function watchPluginProcess(child: ChildProcess): PluginProcess {
  const watched = watch(child);
  return { ...watched, handshake: watched.handshakeLine };
}
