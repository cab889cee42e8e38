import type { PluginProcess } from "@gfsdk/testing";
import { createGrpcPluginClient } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { isProcessAlive } from "../process-alive.js";
import { goPluginEnv, startPluginProcess, useFixtureBundle } from "../testing/plugin-process.js";
import { waitFor } from "../testing/wait-for.js";

const fixture = useFixtureBundle();

const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
});

async function start(env: Record<string, string> = {}): Promise<{ plugin: PluginProcess; socket: string }> {
  const plugin = startPluginProcess(fixture.path, goPluginEnv(env));
  if (plugin.child.pid) pids.push(plugin.child.pid);
  return { plugin, socket: (await plugin.handshake).address };
}

/** The plugin's hclog JSON lines on stderr whose message matches. */
function logLines(plugin: PluginProcess, message: RegExp): Record<string, unknown>[] {
  return plugin
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => message.test(String(record["@message"])));
}

const blockQuery = (ms: number) => ({
  queries: [{ refId: "A", queryType: "block", json: new TextEncoder().encode(JSON.stringify({ ms })) }],
});

describe("a plugin whose handler blocks the event loop", () => {
  it("logs a warning naming the endpoint while blocked (default threshold 1 s), then the duration; health answers", async () => {
    const { plugin, socket } = await start();
    const client = createGrpcPluginClient(socket);
    try {
      const answered = client.data.queryData(blockQuery(2500));
      let answeredAt = Number.POSITIVE_INFINITY;
      void answered.then(() => {
        answeredAt = Date.now();
      });
      // Sent during the block: answered once it ends, not lost.
      await waitFor(
        () => logLines(plugin, /^The event loop is blocked/).length > 0,
        "the blocked warning",
        10_000,
      );
      const health = client.diagnostics.checkHealth({});
      const [blocked] = logLines(plugin, /^The event loop is blocked/);
      expect(blocked).toMatchObject({
        "@level": "warn",
        "@module": "gfsdk-fixture-datasource",
        endpoints: "queryData:block",
        thresholdMs: 1000,
      });
      expect(blocked!.blockedMs).toBeGreaterThanOrEqual(1000);
      // Written while the handler still ran: before its answer came.
      expect(answeredAt).toBe(Number.POSITIVE_INFINITY);
      const response = await answered;
      expect(Date.parse(String(blocked!["@timestamp"]))).toBeLessThan(answeredAt);
      expect(new TextDecoder().decode(response.responses.A?.frames[0])).toBe("blocked 2500");
      expect((await health).message).toBe("fixture ok");
      expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
      await waitFor(() => logLines(plugin, /^The event loop ran again/).length > 0, "the ran-again line");
      const [ran] = logLines(plugin, /^The event loop ran again/);
      expect(ran).toMatchObject({ "@level": "warn", endpoints: "queryData:block" });
      expect(ran!.blockedMs).toBeGreaterThanOrEqual(2400);
      expect(ran!.blockedMs).toBeLessThan(5000);
    } finally {
      client.close();
    }
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it("takes its threshold from GFSDK_EVENT_LOOP_WATCHDOG_MS, and says nothing of a block shorter than it", async () => {
    const { plugin, socket } = await start({ GFSDK_EVENT_LOOP_WATCHDOG_MS: "300" });
    const client = createGrpcPluginClient(socket);
    try {
      // 100 ms: under the threshold, not logged; then 800 ms: logged. Lines come in order, so
      // once the second block's line is there, the first would have been there too.
      await client.data.queryData(blockQuery(100));
      await client.data.queryData(blockQuery(800));
      await waitFor(() => logLines(plugin, /^The event loop ran again/).length > 0, "the ran-again line");
      const blocked = logLines(plugin, /^The event loop is blocked/);
      expect(blocked).toHaveLength(1);
      expect(blocked[0]).toMatchObject({ thresholdMs: 300, endpoints: "queryData:block" });
      expect(logLines(plugin, /^The event loop ran again/)[0]!.blockedMs).toBeGreaterThanOrEqual(750);
    } finally {
      client.close();
    }
  });

  it("has no watchdog with GFSDK_EVENT_LOOP_WATCHDOG_MS=0", async () => {
    const { plugin, socket } = await start({ GFSDK_EVENT_LOOP_WATCHDOG_MS: "0" });
    const client = createGrpcPluginClient(socket);
    try {
      await client.data.queryData(blockQuery(1500));
      // The plugin writes its own lines in order; a later one proves the stderr up to it was read.
      plugin.child.kill("SIGTERM");
      expect(await plugin.exited).toEqual({ code: 0, signal: null });
      expect(plugin.stderr()).toContain("Plugin stopping");
      expect(logLines(plugin, /event loop/)).toEqual([]);
    } finally {
      client.close();
    }
  });
});
