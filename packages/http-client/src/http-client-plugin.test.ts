import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { definePlugin, HealthStatus } from "@gfsdk/core";
import { createPluginMetrics } from "@gfsdk/grpc";
import { createInProcessClient } from "@gfsdk/in-process";
import { createPluginTester } from "@gfsdk/in-process/testing";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "./http-client.js";
import { testPluginContext } from "./testing/plugin-context.js";

describe("createHttpClient in a plugin", () => {
  // What the downstream server saw last (the plugin's answers to Grafana mask the secrets in it).
  let seen: { url: string; headers: Record<string, string | string[] | undefined> } = {
    url: "",
    headers: {},
  };
  const server = createServer((req, res) => {
    seen = { url: req.url ?? "", headers: req.headers };
    res.end("downstream ok");
  });
  let url = "";
  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  // The README's pattern: one client per data source, each call's context given to forCall.
  const plugin = definePlugin({
    createInstance: (settings) => createHttpClient(settings),
    disposeInstance: (http) => http.close(),
    checkHealth: async (ctx) => {
      const res = await ctx.instance.forCall(ctx).fetch("/health");
      return { status: HealthStatus.OK, message: await res.text() };
    },
    callResource: (request, ctx) =>
      ctx.instance.forCall({ ...ctx, headers: request.headers }).fetch("/resource"),
  });

  const settings = () => ({
    settings: {
      url,
      basicAuthEnabled: true,
      basicAuthUser: "grafana",
      jsonData: { oauthPassThru: true, httpHeaderName1: "X-Org" },
      secureJsonData: { basicAuthPassword: "pw", httpHeaderValue1: "org-7" },
    },
    pluginId: "acme-datasource",
    pluginVersion: "2.0.0",
  });

  it("sends what Grafana's settings and forwarded headers say, from a handler's context", async () => {
    const tester = createPluginTester(plugin, settings());
    try {
      const health = await tester.checkHealth({ headers: { "http_X-Id-Token": "id-1" } });
      expect(health.message).toBe("downstream ok");
      expect(seen.url).toBe("/health");
      expect(seen.headers["user-agent"]).toBe("Grafana/12.0.0 (linux; amd64) acme-datasource/2.0.0");
      expect(seen.headers["x-org"]).toBe("org-7");
      expect(seen.headers.authorization).toBe(`Basic ${Buffer.from("grafana:pw").toString("base64")}`);
      expect(seen.headers["x-id-token"]).toBe("id-1");

      // A resource call forwards its request's own headers (Grafana keeps them for oauthPassThru).
      const res = await tester.callResource({
        path: "x",
        headers: { Authorization: ["Bearer user"], "X-Id-Token": ["id-2"] },
      });
      expect(res.text()).toBe("downstream ok");
      expect(seen.url).toBe("/resource");
      expect(seen.headers["x-id-token"]).toBe("id-2");
      // Basic auth comes first and a forwarded header never replaces one set, as in the Go SDK.
      expect(seen.headers.authorization).toBe(`Basic ${Buffer.from("grafana:pw").toString("base64")}`);
    } finally {
      await tester.close();
    }
  });

  it("sends the call's trace context on, so the downstream service joins Grafana's trace", async () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const registry = new Registry();
    const metrics = createPluginMetrics(registry);
    const client = createInProcessClient(plugin, { downstreamObservers: [metrics.downstreamObserver] });
    try {
      const res = await client.diagnostics.checkHealth(
        {
          pluginContext: {
            pluginId: "acme-datasource",
            dataSourceInstanceSettings: { uid: "u1", url, jsonData: new TextEncoder().encode("{}") },
          },
        },
        { headers: { traceparent } },
      );
      expect(res.message).toBe("downstream ok");
      expect(seen.headers.traceparent).toBe(traceparent);
      // And counted in the Go SDK's downstream metrics, as @gfsdk/grpc serves them.
      const total = (await registry.getSingleMetric("plugins_datasource_request_total")?.get())?.values ?? [];
      expect(total.map((v) => v.value)).toEqual([1]);
      expect(total[0]?.labels).toMatchObject({ code: "200", method: "get" }); // promhttp lowercases the method;
    } finally {
      await client.close();
    }
    // Outside a call (no trace context) nothing is added.
    const http = createHttpClient({
      pluginContext: testPluginContext({ url }),
    });
    await (await http.fetch("/outside")).text();
    await http.close();
    expect(seen.headers).not.toHaveProperty("traceparent");
  });
});
