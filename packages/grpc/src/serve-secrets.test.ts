import { inspect } from "node:util";
import { ConnectError, createClient } from "@connectrpc/connect";
import { HealthStatus } from "@gfsdk/core";
import { goplugin } from "@gfsdk/core/protocol";
import type { PluginProcess } from "@gfsdk/testing";
import { createGrpcPluginClient, type GrpcPluginClient } from "@gfsdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProcessAlive } from "./process-alive.js";
import { goPluginEnv, startPluginProcess, useFixtureBundle } from "./testing/plugin-process.js";

// One plain secret, and one that JSON escapes (a quote and a backslash), so both spellings count.
const secret = "s3cr3t-Pa55-42";
const escapedSecret = 'q"uo\\te-s3cr3t';
const spellings = [
  secret,
  escapedSecret,
  JSON.stringify(escapedSecret).slice(1, -1),
  inspect(escapedSecret).slice(1, -1),
];

const pluginContext = {
  orgId: 1n,
  pluginId: "gfsdk-leaky-datasource",
  dataSourceInstanceSettings: {
    uid: "leaky",
    name: "Leaky",
    url: "https://db.example",
    jsonData: new TextEncoder().encode('{"host":"db.example"}'),
    decryptedSecureJsonData: { password: secret, apiKey: escapedSecret },
    lastUpdatedMS: 1n,
  },
};

const fixture = useFixtureBundle("leaky-main.ts");
let plugin: PluginProcess;
let client: GrpcPluginClient;
beforeAll(async () => {
  plugin = startPluginProcess(fixture.path, goPluginEnv());
  const socket = (await plugin.handshake).address;
  client = createGrpcPluginClient(socket);
});
afterAll(async () => {
  client?.close();
  const pid = plugin?.child.pid;
  if (pid && isProcessAlive(pid)) process.kill(pid, "SIGKILL");
});

function expectNoSecret(text: string): void {
  for (const spelling of spellings) expect(text).not.toContain(spelling);
}

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => ConnectError.from(e),
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

describe("serve, with handlers that log, print and throw a data source's secrets", () => {
  it("sends the host no error message holding a secret", async () => {
    const health = await client.diagnostics.checkHealth({ pluginContext });
    expect(health.status).toBe(HealthStatus.ERROR);
    expect(health.message).toBe("cannot log in as admin:[redacted]@db");

    const data = await client.data.queryData({
      pluginContext,
      queries: [
        { refId: "A", queryType: "plugin" },
        { refId: "B", queryType: "thrown" },
      ],
    });
    expect(data.responses.A).toMatchObject({ error: "bad password [redacted]", status: 401 });
    expect(data.responses.B).toMatchObject({ error: "upstream said: token=[redacted]", status: 500 });

    // A resource handler's thrown error is an in-band error response (its status, errorSource).
    const resourceAnswers = [];
    for await (const message of client.resource.callResource({
      pluginContext,
      path: "/leak",
      url: `/leak?key=${secret}`,
      method: "GET",
      headers: { Authorization: { values: [`Bearer ${secret}`] } },
    })) {
      resourceAnswers.push(message);
    }
    expect(resourceAnswers[0]).toMatchObject({ code: 500, errorSource: "downstream" });
    const resourceBody = resourceAnswers.map((m) => new TextDecoder().decode(m.body)).join("");
    expect(JSON.parse(resourceBody)).toEqual({ message: "the resource needs [redacted]" });

    const stream = await failure(client.stream.subscribeStream({ pluginContext, path: "live" }));
    expect(stream.rawMessage).toBe("cannot subscribe to live with [redacted]");

    for (const message of [health.message, data.responses.A?.error, data.responses.B?.error, resourceBody]) {
      expectNoSecret(message ?? "");
    }
    for (const error of [stream]) {
      expectNoSecret(error.message);
      expectNoSecret(JSON.stringify(error.details));
    }
  });

  it("exports no metric holding a secret", async () => {
    const metrics = await client.diagnostics.collectMetrics({ pluginContext });
    const text = new TextDecoder().decode(metrics.metrics?.prometheus);
    expect(text).toContain("grafana_plugin_request_total");
    expectNoSecret(text);
  });

  it("writes no stderr line holding a secret, however the handler logged it", async () => {
    await createClient(goplugin.GRPCController, client.transport).shutdown({});
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    const stderr = plugin.stderr();
    // The handlers did log: their lines are there, with the secrets masked.
    expect(stderr).toContain("health check");
    expect(stderr).toContain("connecting with password [redacted]");
    expect(stderr).toContain("console.log { password: '[redacted]'");
    expect(stderr).toContain('console.error {"password":"[redacted]"');
    expect(stderr).toContain("process.stderr.write [redacted]");
    expect(stderr).toContain("resource request");
    expectNoSecret(stderr);
    expectNoSecret(plugin.stdout());
  });
});
