// Fault: the host closes the plugin's stdout. After the handshake nothing goes there any more
// (stdout is redirected to stderr), so the plugin keeps serving; before it, the plugin cannot
// hand-shake, and says so on stderr and exits 1 instead of crashing on an unhandled EPIPE.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createGrpcPluginClient, type PluginProcess, watchPluginProcess } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { isProcessAlive } from "../process-alive.js";
import { goPluginEnv, useFixtureBundle } from "../testing/plugin-process.js";
import { waitFor } from "../testing/wait-for.js";

const fixture = useFixtureBundle();

const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
});

function start(): PluginProcess {
  const child = spawn(process.execPath, [fixture.path], {
    env: goPluginEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid) pids.push(child.pid);
  return watchPluginProcess(child);
}

/** CPU time the process has used, in ms, from /proc (user + system, 10 ms ticks). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("a plugin whose stdout the host closes", () => {
  it("keeps serving when stdout is closed right after the handshake: no crash, no spinning", async () => {
    const plugin = start();
    const socket = (await plugin.handshake).address;
    plugin.child.stdout?.destroy();
    const pid = plugin.child.pid ?? 0;
    const client = createGrpcPluginClient(socket);
    try {
      expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
      // console.log after the close: redirected to stderr, so no write to the closed pipe.
      const printed = await client.data.queryData({
        queries: [{ refId: "A", queryType: "print", json: json({ text: "written after stdout closed" }) }],
      });
      expect(printed.responses.A?.error).toBe("");
      await waitFor(() => plugin.stderr().includes("written after stdout closed"), "the output on stderr");
      // Idle for a second of waiting on a slow query: a spinning process would burn that second.
      const before = cpuMs(pid);
      await client.data.queryData({ queries: [{ refId: "A", queryType: "slow", json: json({ ms: 1000 }) }] });
      expect(cpuMs(pid) - before).toBeLessThan(300);
      expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    } finally {
      client.close();
    }
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(plugin.stderr()).not.toMatch(/EPIPE|Unhandled 'error' event/);
  });

  it("exits 1 with the reason on stderr when stdout is closed before the handshake, and removes its socket", async () => {
    const plugin = start();
    plugin.child.stdout?.destroy();
    expect(await plugin.exited).toEqual({ code: 1, signal: null });
    const stderr = plugin.stderr();
    expect(stderr).toContain(
      "plugin init error: cannot write the handshake to stdout, which the host closed",
    );
    expect(stderr).not.toMatch(/Unhandled 'error' event|throw er/);
    const address = /"address":"([^"]+)"/.exec(stderr)?.[1];
    expect(address).toMatch(/plugin\d+$/);
    expect(existsSync(address ?? "")).toBe(false);
  });
});
