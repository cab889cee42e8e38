import type { Client, Transport } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import { pluginServices } from "./plugin-services.js";

/**
 * Typed clients for every pluginv2 service of one plugin, over any Connect transport. Each adapter
 * offers one, so a test written against it runs on every transport.
 */
export type PluginClient = { [K in keyof typeof pluginServices]: Client<(typeof pluginServices)[K]> };

/** Creates a {@link PluginClient} over `transport`. */
export function createPluginClient(transport: Transport): PluginClient {
  return {
    diagnostics: createClient(pluginServices.diagnostics, transport),
    resource: createClient(pluginServices.resource, transport),
    data: createClient(pluginServices.data, transport),
    stream: createClient(pluginServices.stream, transport),
    admission: createClient(pluginServices.admission, transport),
    conversion: createClient(pluginServices.conversion, transport),
  };
}
