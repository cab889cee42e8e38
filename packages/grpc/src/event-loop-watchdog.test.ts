import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { definePlugin, HealthStatus } from "@gfsdk/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  createEventLoopWatchdog,
  type EventLoopWatchdog,
  eventLoopWatchdogMs,
  pluginEndpointNames,
  watchEventLoop,
} from "./event-loop-watchdog.js";
import { waitFor } from "./testing/wait-for.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A log file the watchdog writes to by fd, and its parsed lines. */
async function logFile(): Promise<{ fd: number; lines(): Record<string, unknown>[] }> {
  const dir = await mkdtemp(join(tmpdir(), "gfsdk-watchdog-"));
  const path = join(dir, "stderr.log");
  const fd = openSync(path, "w");
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  cleanups.push(() => closeSync(fd));
  return {
    fd,
    lines: () =>
      readFileSync(path, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function started(watchdog: EventLoopWatchdog): EventLoopWatchdog {
  cleanups.push(() => watchdog.stop());
  return watchdog;
}

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop is blocked
  }
}

/**
 * Blocks the event loop until `condition` holds (checked synchronously), at most `capMs`: the
 * worker thread may take a while to boot on a loaded machine, so a fixed block could end first.
 */
function busyUntil(condition: () => boolean, capMs = 20_000): void {
  const end = performance.now() + capMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`still false after blocking ${capMs} ms`);
  }
}

const hclogTimestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe("createEventLoopWatchdog", () => {
  it("logs, while the event loop is still blocked, the endpoint in flight; then how long it was blocked", async () => {
    const log = await logFile();
    const watchdog = started(createEventLoopWatchdog({ thresholdMs: 200, fd: log.fd, module: "my-plugin" }));
    const end = watchdog.enter("queryData");
    busy(800);
    const unblockedAt = Date.now();
    end();
    await waitFor(() => log.lines().length >= 2, "both watchdog lines");
    const [blocked, ran] = log.lines();
    // Written from the worker thread during the block: its timestamp is before the block ended.
    expect(blocked).toMatchObject({
      "@level": "warn",
      "@module": "my-plugin",
      endpoints: "queryData",
      thresholdMs: 200,
    });
    expect(blocked!["@message"]).toMatch(/^The event loop is blocked/);
    expect(blocked!["@timestamp"]).toMatch(hclogTimestamp);
    expect(Date.parse(blocked!["@timestamp"] as string)).toBeLessThan(unblockedAt);
    expect(blocked!.blockedMs).toBeGreaterThanOrEqual(200);
    expect(blocked!.blockedMs).toBeLessThan(800);
    expect(Object.keys(blocked!).slice(-4)).toEqual(["@level", "@message", "@timestamp", "@module"]);
    expect(ran).toMatchObject({ "@level": "warn", endpoints: "queryData" });
    expect(ran!["@message"]).toMatch(/^The event loop ran again/);
    expect(ran!.blockedMs).toBeGreaterThanOrEqual(750);
    expect(ran!.blockedMs).toBeLessThan(2000);
  });

  it("names every call in flight, with a count when an endpoint has several", async () => {
    const log = await logFile();
    const watchdog = started(createEventLoopWatchdog({ thresholdMs: 100, fd: log.fd }));
    const ends = [watchdog.enter("runStream"), watchdog.enter("queryData"), watchdog.enter("queryData")];
    watchdog.enter("somethingElse")();
    busyUntil(() => log.lines().length >= 1);
    for (const end of ends) end();
    await waitFor(() => log.lines().length >= 2, "both watchdog lines");
    expect(log.lines()[0]).toMatchObject({ endpoints: "queryData (2), runStream" });
    expect(log.lines()[0]).not.toHaveProperty("@module");
  });

  it("counts an endpoint it does not know as other", async () => {
    const log = await logFile();
    const watchdog = started(createEventLoopWatchdog({ thresholdMs: 100, fd: log.fd, endpoints: ["a"] }));
    const end = watchdog.enter("b");
    busyUntil(() => log.lines().length >= 1);
    end();
    await waitFor(() => log.lines().length >= 1, "the blocked line");
    expect(log.lines()[0]).toMatchObject({ endpoints: "other" });
  });

  it("rejects a threshold that is not a positive number of ms", () => {
    expect(() => createEventLoopWatchdog({ thresholdMs: 0 })).toThrow(/positive number of ms/);
    expect(() => createEventLoopWatchdog({ thresholdMs: Number.NaN })).toThrow(/positive number of ms/);
  });

  it("never keeps the process alive, busy or idle", async () => {
    // The module has only type imports beside node:*, so Node runs its TypeScript directly.
    const script = `
      const { createEventLoopWatchdog } = await import(${JSON.stringify(new URL("./event-loop-watchdog.ts", import.meta.url).href)});
      const watchdog = createEventLoopWatchdog({ thresholdMs: 50 });
      watchdog.enter("queryData"); // never ended: the worker is watching when the loop empties
      watchdog.enter("checkHealth")();
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("eventLoopWatchdogMs", () => {
  it("is 1000 ms by default, the option when given, and 0 turns it off", () => {
    expect(eventLoopWatchdogMs(undefined, {})).toBe(1000);
    expect(eventLoopWatchdogMs(250, {})).toBe(250);
    expect(eventLoopWatchdogMs(0, {})).toBeUndefined();
  });

  it("takes GFSDK_EVENT_LOOP_WATCHDOG_MS over the option, ignoring a value that is not a number ≥ 0", () => {
    expect(eventLoopWatchdogMs(250, { GFSDK_EVENT_LOOP_WATCHDOG_MS: "3000" })).toBe(3000);
    expect(eventLoopWatchdogMs(250, { GFSDK_EVENT_LOOP_WATCHDOG_MS: "0" })).toBeUndefined();
    expect(eventLoopWatchdogMs(250, { GFSDK_EVENT_LOOP_WATCHDOG_MS: "soon" })).toBe(250);
    expect(eventLoopWatchdogMs(undefined, { GFSDK_EVENT_LOOP_WATCHDOG_MS: "-5" })).toBe(1000);
    expect(eventLoopWatchdogMs(undefined, { GFSDK_EVENT_LOOP_WATCHDOG_MS: "" })).toBe(1000);
  });
});

describe("pluginEndpointNames", () => {
  it("lists the handlers by name and per-type query handlers as queryData:<queryType>", () => {
    const plugin = definePlugin({
      queryConcurrency: 2,
      createInstance: () => undefined,
      checkHealth: () => ({ status: HealthStatus.OK }),
      queryTypes: { a: { query: () => [] }, b: { queries: () => ({}) } },
      routes: { "GET /x": () => new Response("x") },
    });
    expect(pluginEndpointNames(plugin)).toEqual([
      "createInstance",
      "checkHealth",
      "queryData:a",
      "queryData:b",
      "route:GET /x",
    ]);
  });
});

describe("watchEventLoop", () => {
  it("reports a blocking per-type query handler by its query type, and passes results and errors through", async () => {
    const log = await logFile();
    const { plugin, watchdog } = watchEventLoop(
      definePlugin({
        queryConcurrency: 3,
        checkHealth: () => {
          throw new Error("broken");
        },
        queryTypes: {
          slow: {
            query: () => {
              busy(400);
              return [];
            },
          },
          later: { query: async () => [new Uint8Array([1])] },
        },
      }),
      { thresholdMs: 100, fd: log.fd },
    );
    started(watchdog);
    expect(plugin.handlers.queryConcurrency).toBe(3);
    const types = plugin.handlers.queryTypes as Record<string, { query: (...args: unknown[]) => unknown }>;
    const handlers = { slow: types.slow?.query, later: types.later?.query };
    expect(() => (plugin.handlers.checkHealth as () => unknown)()).toThrow("broken");
    await expect(handlers.later!()).resolves.toEqual([new Uint8Array([1])]);
    // A call stays in flight for one macrotask after its handler settled (core encodes then).
    await new Promise((resolve) => setImmediate(resolve));
    expect(handlers.slow!()).toEqual([]);
    await waitFor(() => log.lines().length >= 2, "both watchdog lines");
    expect(log.lines().map((line) => line.endpoints)).toEqual(["queryData:slow", "queryData:slow"]);
  });
});
