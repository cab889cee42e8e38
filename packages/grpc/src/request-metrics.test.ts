import { createLogger, definePlugin, HealthStatus } from "@gfsdk/core";
import { createGrpcPluginClient } from "@gfsdk/testing";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcServer } from "./grpc-server.js";
import { createPluginMetrics } from "./plugin-metrics.js";
import { createUnixSocketPath } from "./unix-socket-path.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const encoder = new TextEncoder();
const dataSource = (uid: string, jsonData: string) => ({
  pluginContext: {
    pluginId: "p",
    orgId: 1n,
    dataSourceInstanceSettings: { uid, name: uid, jsonData: encoder.encode(jsonData) },
  },
});

describe("createPluginMetrics over gRPC", () => {
  it("counts every CheckHealth, those failing before the handler ran included (instance not built, unreadable settings)", async () => {
    const registry = new Registry();
    const plugin = definePlugin({
      createInstance: (settings) => {
        if ((settings.jsonData as { broken?: boolean }).broken) throw new Error("cannot build the client");
        return { ok: true };
      },
      checkHealth: async (ctx) => {
        if ((ctx.jsonData as { fail?: boolean }).fail) throw new Error("handler failed");
        return { status: HealthStatus.OK, message: "ok" };
      },
    });
    const server = await createGrpcServer(plugin, {
      listen: { network: "unix", path: await createUnixSocketPath() },
      logger: createLogger({ write: () => {} }),
      metrics: createPluginMetrics(registry),
    });
    cleanups.push(() => server.shutdown());
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());

    const answers = [
      await client.diagnostics.checkHealth(dataSource("ok", "{}")),
      await client.diagnostics.checkHealth(dataSource("broken", '{"broken":true}')),
      await client.diagnostics.checkHealth(dataSource("unreadable", "{not json")),
      await client.diagnostics.checkHealth(dataSource("fail", '{"fail":true}')),
    ];
    expect(answers.map((a) => a.status)).toEqual([
      HealthStatus.OK,
      HealthStatus.ERROR,
      HealthStatus.ERROR,
      HealthStatus.ERROR,
    ]);
    expect(answers[1]!.message).toContain("cannot build the client");

    const text = await registry.metrics();
    const counted = [
      ...text.matchAll(/^grafana_plugin_request_total\{endpoint="checkHealth",status="(\w+)".*\} (\d+)$/gm),
    ];
    const byStatus = Object.fromEntries(counted.map((m) => [m[1], Number(m[2])]));
    expect(byStatus).toEqual({ ok: 1, error: 3 });
    // Two instances were built (ok, fail); the broken one never was.
    expect(text).toMatch(/^plugins_active_instances 2$/m);
  });
});
