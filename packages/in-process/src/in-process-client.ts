import { createRouterTransport } from "@connectrpc/connect";
import type { Plugin } from "@gfsdk/core";
import type { PluginClient, PluginServicesOptions } from "@gfsdk/core/protocol";
import { createPluginClient, createPluginServices, registerPlugin } from "@gfsdk/core/protocol";

/** Options of {@link createInProcessClient}. */
export interface InProcessClientOptions extends PluginServicesOptions {}

/** A {@link PluginClient} bound to a plugin in this process, and a way to release the plugin. */
export type InProcessClient = PluginClient & {
  /** Disposes the plugin's instances. */
  close(): Promise<void>;
};

/**
 * Calls a plugin in-process through Connect's router transport: requests and responses are
 * serialized to protobuf binary exactly as on the network, with no sockets.
 */
export function createInProcessClient<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: InProcessClientOptions = {},
): InProcessClient {
  const services = createPluginServices(plugin, options);
  const transport = createRouterTransport((router) => registerPlugin(router, services));
  return Object.assign(createPluginClient(transport), { close: () => services.close() });
}
