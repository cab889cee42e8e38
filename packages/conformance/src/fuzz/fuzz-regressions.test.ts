// The inputs the fuzz properties found, kept as fixed cases: each failed before its fix.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { create } from "@bufbuild/protobuf";
import { definePlugin, HealthStatus, type Plugin, type PluginContext } from "@gfsdk/core";
import { pluginv2 } from "@gfsdk/core/protocol";
import { testdataPlugin, testdataPluginId } from "@gfsdk/example-testdata";
import { serve, standaloneAddressEnvName } from "@gfsdk/grpc";
import { createInProcessClient } from "@gfsdk/in-process";
import { afterAll, describe, expect, it } from "vitest";
import { query, testdataContext } from "../requests.js";
import { createErrorLog } from "./fuzz-plugins.js";

const encoder = new TextEncoder();
const quiet = createErrorLog().logger;

describe("PluginContext jsonData (found by grpc-requests)", () => {
  let seen: PluginContext | undefined;
  const client = createInProcessClient(
    definePlugin({
      checkHealth({ pluginContext }) {
        seen = pluginContext;
        return { status: HealthStatus.OK, message: "seen" };
      },
    }),
    { logger: quiet },
  );
  afterAll(() => client.close());
  const withJsonData = (text: string, app = false) => {
    const settings = { jsonData: encoder.encode(text), lastUpdatedMS: BigInt(text.length) };
    return client.diagnostics.checkHealth({
      pluginContext: app
        ? { appInstanceSettings: settings }
        : { dataSourceInstanceSettings: { ...settings, uid: "u" } },
    });
  };

  it("reads JSON null as no settings: {}", async () => {
    expect((await withJsonData("null")).message).toBe("seen");
    expect(seen?.dataSourceInstanceSettings?.jsonData).toEqual({});
    expect((await withJsonData("null", true)).message).toBe("seen");
    expect(seen?.appInstanceSettings?.jsonData).toEqual({});
  });

  it("refuses jsonData that is not a JSON object, naming it", async () => {
    for (const text of ["[]", "1", "true", '""']) {
      seen = undefined;
      const result = await withJsonData(text);
      expect(result).toMatchObject({
        status: HealthStatus.ERROR,
        message: expect.stringMatching(/jsonData.*not a JSON object/),
      });
      expect(seen).toBeUndefined();
    }
  });
});

describe("testdata time ranges and sizes (found by query-models)", () => {
  const client = createInProcessClient(testdataPlugin, { logger: quiet });
  afterAll(() => client.close());
  const answer = async (
    q: ReturnType<typeof query>,
    timeRange?: { fromEpochMS: bigint; toEpochMS: bigint },
  ) => {
    const message = create(pluginv2.DataQuerySchema, q);
    if (timeRange) message.timeRange = create(pluginv2.TimeRangeSchema, timeRange);
    const response = await client.data.queryData({ pluginContext: testdataContext(), queries: [message] });
    return response.responses[message.refId];
  };

  it("answers a time range a Date cannot hold with a 400 naming timeRange", async () => {
    const q = query("A", "random_walk", {});
    expect(
      await answer(q, { fromEpochMS: 1_600_000_000_000n, toEpochMS: -8_640_000_000_000_001n }),
    ).toMatchObject({
      status: 400,
      errorSource: "plugin",
      error: expect.stringContaining("timeRange"),
    });
  });

  it("answers a time range past what a frame's time field holds with a 400 naming timeRange", async () => {
    const q = query("A", "rows", { rows: 2 });
    expect(
      await answer(q, { fromEpochMS: 1_600_000_000_000n, toEpochMS: 8_640_000_000_000_000n }),
    ).toMatchObject({
      status: 400,
      errorSource: "plugin",
      error: expect.stringContaining("timeRange"),
    });
  });

  it("refuses a random walk of more values than the largest rows frame instead of running out of memory", async () => {
    const q = query("A", "random_walk", { seriesCount: 1000 }, { maxDataPoints: 2n ** 63n - 1n });
    expect(await answer(q)).toMatchObject({
      status: 400,
      errorSource: "plugin",
      error: expect.stringContaining("seriesCount"),
    });
  });

  it("still answers a random walk within the limit (10 series of 1,000 points)", async () => {
    const q = query("A", "random_walk", { seriesCount: 10, seed: 1 }, { maxDataPoints: 1000n });
    const r = await answer(q);
    expect(r).toMatchObject({ status: 200, error: "" });
    expect(r?.frames).toHaveLength(10);
    expect(r?.format).toBe(pluginv2.DataFrameFormat.ARROW);
  });
});

describe("serve's refusal of a standalone address (found by handshake-env)", () => {
  it("explains an address with a newline on one stderr line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gfsdk-fuzz-regression-"));
    const chunks: string[] = [];
    const stderr = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        chunks.push(String(chunk));
        callback();
      },
    });
    const exits: number[] = [];
    try {
      await expect(
        serve(testdataPlugin as unknown as Plugin, {
          pluginId: testdataPluginId,
          argv: [],
          env: {
            grafana_plugin_type: "datasource",
            [standaloneAddressEnvName(testdataPluginId)]: "x:1\nEVIL",
          },
          stdout: new Writable({ write: (_c, _e, cb) => cb() }),
          stderr,
          exit: (code) => exits.push(code),
          logger: quiet,
          pluginDir: join(dir, "none"),
        }),
      ).rejects.toThrow(/status 1/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(exits).toEqual([1]);
    expect(chunks.join("").trimEnd().split("\n")).toHaveLength(1);
    expect(chunks.join("")).toContain(String.raw`"x:1\nEVIL"`);
  });
});
