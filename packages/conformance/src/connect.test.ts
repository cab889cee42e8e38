import { createConnectPluginClient, serveConnect } from "@gfsdk/connect";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { describePluginConformance } from "./plugin-conformance.js";

describePluginConformance("Connect binary on HTTP/1.1", async () => {
  const server = await serveConnect(testdataPlugin);
  return { client: createConnectPluginClient(server.url), close: () => server.close() };
});

describePluginConformance("Connect JSON on HTTP/1.1", async () => {
  const server = await serveConnect(testdataPlugin);
  return { client: createConnectPluginClient(server.url, { useJson: true }), close: () => server.close() };
});
