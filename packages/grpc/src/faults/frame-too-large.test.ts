// Fault: a handler returns a frame too large to encode. That refId gets a clear error, the other
// refIds of the request still answer, and the process lives. The Arrow case (a string column past
// Arrow's 2 GiB Utf8 limit) fails before allocating anything; the frame JSON case (past V8's
// 512 MiB string limit) fails once the string is that long.
import { readFileSync } from "node:fs";
import { pluginv2 } from "@gfsdk/core/protocol";
import type { PluginProcess } from "@gfsdk/testing";
import { createGrpcPluginClient, type GrpcPluginClient } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { isProcessAlive } from "../process-alive.js";
import { goPluginEnv, startPluginProcess, useFixtureBundle } from "../testing/plugin-process.js";

const fixture = useFixtureBundle();

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(): Promise<{ plugin: PluginProcess; client: GrpcPluginClient }> {
  const plugin = startPluginProcess(fixture.path, goPluginEnv());
  const pid = plugin.child.pid ?? 0;
  cleanups.push(() => {
    if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
  });
  const client = createGrpcPluginClient((await plugin.handshake).address);
  cleanups.push(() => client.close());
  return { plugin, client };
}

/** The plugin's peak resident memory so far, in MiB (VmHWM). */
function peakRssMiB(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) / 1024;
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const MiB = 1024 * 1024;

describe("a plugin whose query handler returns a frame too large to encode", () => {
  it("fails that refId with a clear error at once (Arrow, a string column over 2 GiB); the other refId answers", async () => {
    const { plugin, client } = await start();
    const started = performance.now();
    const response = await client.data.queryData({
      queries: [
        // 2100 rows of one 1 MiB string: 2.05 GiB of text, held as one string in memory.
        { refId: "A", queryType: "huge", json: json({ rows: 2100, rowBytes: MiB }) },
        { refId: "B", queryType: "echo", json: json({ still: "here" }) },
      ],
    });
    const ms = performance.now() - started;
    const a = response.responses.A;
    expect(a?.frames).toEqual([]);
    expect(a?.status).toBe(500);
    expect(a?.errorSource).toBe("plugin");
    expect(a?.error).toBe(
      'the frame "huge" is too large to encode as Arrow (string column exceeds 2 GiB, the Arrow Utf8 limit): ' +
        "return smaller frames, or split the rows across several",
    );
    expect(response.responses.B?.error).toBe("");
    expect(new TextDecoder().decode(response.responses.B?.frames[0])).toBe('{"still":"here"}');
    // Failed before allocating the column: no 2 GiB buffer, no seconds spent filling it.
    expect(peakRssMiB(plugin.child.pid ?? 0)).toBeLessThan(600);
    expect(ms).toBeLessThan(5000);
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
  });

  it("fails that refId with a clear error (frame JSON past the 512 MiB string limit); the other refId answers", async () => {
    const { plugin, client } = await start();
    const response = await client.data.queryData({
      format: pluginv2.DataFrameFormat.JSON,
      queries: [
        { refId: "A", queryType: "huge", json: json({ rows: 600, rowBytes: MiB }) },
        { refId: "B", queryType: "echo", json: json({ still: "here" }) },
      ],
    });
    const a = response.responses.A;
    expect(a?.frames).toEqual([]);
    expect(a?.status).toBe(500);
    expect(a?.error).toMatch(
      /^the frame "huge" is too large to encode as frame JSON \(Invalid string length\): .*at most 512 MiB; return Arrow or smaller frames$/,
    );
    expect(new TextDecoder().decode(response.responses.B?.frames[0])).toBe('{"still":"here"}');
    expect(peakRssMiB(plugin.child.pid ?? 0)).toBeLessThan(2048);
    // The process lives and answers the next calls, the same query included.
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    const again = await client.data.queryData({
      queries: [{ refId: "C", queryType: "huge", json: json({ rows: 3, rowBytes: 10 }) }],
    });
    expect(again.responses.C?.error).toBe("");
    expect(again.responses.C?.frames).toHaveLength(1);
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });
});
