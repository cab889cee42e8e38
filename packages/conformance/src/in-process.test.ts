import { testdataPlugin } from "@gfsdk/example-testdata";
import { createInProcessClient } from "@gfsdk/in-process";
import { describePluginConformance, quietLogger } from "./plugin-conformance.js";

describePluginConformance("in-process (Connect router transport)", async () => {
  const client = createInProcessClient(testdataPlugin, { logger: quietLogger });
  return { client, close: () => client.close() };
});
