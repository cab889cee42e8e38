// The socket and its directory are owner-only in a real plugin process, whatever its umask: the
// fixture executable started as Grafana starts it (testing/plugin-process.ts).
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createGrpcPluginClient, type PluginProcess, watchPluginProcess } from "@gfsdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProcessAlive } from "./process-alive.js";
import { goPluginEnv, useFixtureBundle } from "./testing/plugin-process.js";

const fixture = useFixtureBundle();
let socketDir: string;
beforeAll(async () => {
  socketDir = await mkdtemp(join(tmpdir(), "gfsdk-grpc-socket-dir-"));
});
const started: PluginProcess[] = [];
afterAll(async () => {
  for (const plugin of started) {
    const pid = plugin.child.pid;
    if (pid && isProcessAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await rm(socketDir, { recursive: true, force: true });
});

/** Starts the fixture with umask 000, the least a host could give it; the shell execs Node. */
function startWithOpenUmask(env: Record<string, string>): PluginProcess {
  const child = spawn("/bin/sh", ["-c", 'umask 000 && exec "$0" "$1"', process.execPath, fixture.path], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const plugin = watchPluginProcess(child);
  started.push(plugin);
  return plugin;
}

describe.skipIf(process.platform === "win32")("serve's unix socket, in a plugin executable", () => {
  it("is owner-only (0600) in an owner-only directory (0700), both removed on exit", async () => {
    const plugin = startWithOpenUmask(goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: socketDir }));
    const socket = (await plugin.handshake).address;
    expect(dirname(dirname(socket))).toBe(socketDir);
    const socketStat = statSync(socket);
    const dirStat = statSync(dirname(socket));
    expect(socketStat.isSocket()).toBe(true);
    expect(socketStat.mode & 0o777).toBe(0o600);
    expect(dirStat.mode & 0o777).toBe(0o700);
    expect(socketStat.uid).toBe(process.getuid?.());
    expect(dirStat.uid).toBe(process.getuid?.());
    // The owner (the host runs as the same user) still connects.
    const client = createGrpcPluginClient(socket);
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    client.close();

    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(dirname(socket))).toBe(false);
  });

  it("with PLUGIN_UNIX_SOCKET_GROUP: socket 0660 and directory 0710, both that group's", async () => {
    const gid = process.getgid?.() ?? 0;
    const plugin = startWithOpenUmask(
      goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: socketDir, PLUGIN_UNIX_SOCKET_GROUP: String(gid) }),
    );
    const socket = (await plugin.handshake).address;
    const socketStat = statSync(socket);
    const dirStat = statSync(dirname(socket));
    expect(socketStat.mode & 0o777).toBe(0o660);
    expect(dirStat.mode & 0o777).toBe(0o710);
    expect(socketStat.gid).toBe(gid);
    expect(dirStat.gid).toBe(gid);
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(dirname(socket))).toBe(false);
  });

  it("leaves no directory behind when the process exits without shutting down", async () => {
    // An uncaught exception right after serving: the process exits (status 7) without closing.
    const plugin = startWithOpenUmask(
      goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: socketDir, FIXTURE_EXIT_CODE: "7" }),
    );
    const socket = (await plugin.handshake).address;
    expect((await plugin.exited).code).toBe(7);
    expect(existsSync(dirname(socket))).toBe(false);
  });
});
