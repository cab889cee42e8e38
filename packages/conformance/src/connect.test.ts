import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createConnectPluginClient, serveConnect } from "@gfsdk/connect";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { describe, expect, it } from "vitest";
import { describePluginConformance, quietLogger } from "./plugin-conformance.js";

const run = promisify(execFile);

describePluginConformance("Connect binary on HTTP/1.1", async () => {
  const server = await serveConnect(testdataPlugin, { logger: quietLogger });
  return { client: createConnectPluginClient(server.url), close: () => server.close() };
});

describePluginConformance("Connect JSON on HTTP/1.1", async () => {
  const server = await serveConnect(testdataPlugin, { logger: quietLogger });
  return { client: createConnectPluginClient(server.url, { useJson: true }), close: () => server.close() };
});

describe("curl against serveConnect", () => {
  it("returns CheckHealth as JSON", async () => {
    const server = await serveConnect(testdataPlugin, { logger: quietLogger });
    try {
      const body = JSON.stringify({
        pluginContext: {
          pluginId: "gfsdk-testdata-datasource",
          dataSourceInstanceSettings: { uid: "c", jsonData: "e30=" },
        },
      });
      const { stdout } = await run("curl", [
        "-sS",
        "--fail-with-body",
        "-H",
        "content-type: application/json",
        "-d",
        body,
        `${server.url}/pluginv2.Diagnostics/CheckHealth`,
      ]);
      expect(JSON.parse(stdout)).toEqual({ status: "OK", message: "Data source is working" });
    } finally {
      await server.close();
    }
  });
});
