import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PluginProcess, startPluginProcess } from "@gfsdk/testing";
import { procStatus } from "./proc-status.js";

/**
 * Spawns `executable` with the go-plugin environment and returns the milliseconds from spawn to the
 * end of the first stdout line (the handshake line), then stops the process (SIGTERM, SIGKILL
 * after 3 s). Each launch gets its own unix socket directory, removed afterwards.
 */
export async function coldStart(executable: string): Promise<number> {
  return (await launchOnce(executable)).handshakeMs;
}

/**
 * Spawns `executable` as {@link coldStart} does, waits `idleMs` after its handshake line with no
 * call made, and returns its RSS then, in KiB (Linux `/proc`).
 */
export async function idleRss(executable: string, idleMs = 1500): Promise<number> {
  return (await launchOnce(executable, idleMs)).idleRssKB ?? Number.NaN;
}

async function launchOnce(
  executable: string,
  idleMs?: number,
): Promise<{ handshakeMs: number; idleRssKB?: number }> {
  const unixSocketDir = mkdtempSync(join(tmpdir(), "gfsdk-bench-"));
  const start = performance.now();
  // Started exactly as Grafana starts a plugin (@gfsdk/testing's launch, without the client).
  const plugin = startPluginProcess(executable, { unixSocketDir });
  try {
    await plugin.handshakeLine;
    const handshakeMs = performance.now() - start;
    if (idleMs === undefined) return { handshakeMs };
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return { handshakeMs, idleRssKB: procStatus(plugin.child.pid ?? 0).rssKB };
  } finally {
    await stop(plugin);
    rmSync(unixSocketDir, { recursive: true, force: true });
  }
}

async function stop(plugin: PluginProcess): Promise<void> {
  plugin.child.kill("SIGTERM");
  const timer = setTimeout(() => plugin.child.kill("SIGKILL"), 3000);
  await plugin.exited;
  clearTimeout(timer);
}
