// Test helpers of core's own tests: a plugin's services behind an in-memory Connect transport.
import { create } from "@bufbuild/protobuf";
import { createRouterTransport } from "@connectrpc/connect";
import { PluginContextSchema } from "../gen/pluginv2/backend_pb.js";
import { createLogger } from "../logger.js";
import type { Plugin } from "../plugin.js";
import { createPluginClient } from "../plugin-client.js";
import { createPluginServices, type PluginServicesOptions, registerPlugin } from "../plugin-services.js";

const encoder = new TextEncoder();

/** A client of `plugin`'s services over an in-memory transport; log lines go to `logLines`. */
export function clientFor<J, S, I>(
  plugin: Plugin<J, S, I>,
  logLines: string[] = [],
  options: PluginServicesOptions = {},
) {
  const services = createPluginServices(plugin, {
    logger: createLogger({ write: (l) => logLines.push(l) }),
    ...options,
  });
  return { client: createPluginClient(createRouterTransport((r) => registerPlugin(r, services))), services };
}

/** A data source plugin context with `jsonData` (JSON-encoded unless bytes), a version and secrets. */
export function dsContext(
  jsonData: object | string = {},
  lastUpdatedMS = 1n,
  secrets: Record<string, string> = {},
  uid = "ds",
) {
  return create(PluginContextSchema, {
    orgId: 1n,
    pluginId: "p",
    dataSourceInstanceSettings: {
      uid,
      jsonData: encoder.encode(typeof jsonData === "string" ? jsonData : JSON.stringify(jsonData)),
      lastUpdatedMS,
      decryptedSecureJsonData: secrets,
    },
  });
}

/** A query message. */
export function queryMessage(refId: string, model: object | string = {}, queryType = "") {
  return {
    refId,
    queryType,
    json: encoder.encode(typeof model === "string" ? model : JSON.stringify(model)),
    timeRange: { fromEpochMS: 1000n, toEpochMS: 2000n },
  };
}
