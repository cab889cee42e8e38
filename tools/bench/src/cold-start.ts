import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { procStatus } from "./proc-status.js";

/** The go-plugin environment Grafana's host gives a backend plugin (brief §2.2). */
export const PLUGIN_ENV = {
  grafana_plugin_type: "datasource",
  PLUGIN_PROTOCOL_VERSIONS: "2",
  PLUGIN_MIN_PORT: "10000",
  PLUGIN_MAX_PORT: "25000",
};

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
  const socketDir = mkdtempSync(join(tmpdir(), "gfsdk-bench-"));
  const start = performance.now();
  const child = spawn(executable, [], {
    env: { ...process.env, ...PLUGIN_ENV, PLUGIN_UNIX_SOCKET_DIR: socketDir },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  try {
    const handshakeMs = await new Promise<number>((resolve, reject) => {
      let seen = "";
      child.stdout.on("data", (chunk: Buffer) => {
        seen += chunk.toString("utf8");
        if (seen.includes("\n")) resolve(performance.now() - start);
      });
      child.once("error", reject);
      child.once("exit", (code, signal) =>
        reject(new Error(`${executable} exited (${signal ?? code}) before its handshake line`)),
      );
    });
    if (idleMs === undefined) return { handshakeMs };
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return { handshakeMs, idleRssKB: procStatus(child.pid ?? 0).rssKB };
  } finally {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
    rmSync(socketDir, { recursive: true, force: true });
  }
}
