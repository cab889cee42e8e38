import { createConnectTransport } from "@connectrpc/connect-node";
import type { PluginClient } from "@gfsdk/core/protocol";
import { createPluginClient } from "@gfsdk/core/protocol";

/** Options of {@link createConnectPluginClient}. */
export interface ConnectPluginClientOptions {
  /** Send JSON instead of binary protobuf. Default false. */
  useJson?: boolean;
}

/** A {@link PluginClient} that calls a plugin served by {@link serveConnect} at `baseUrl`. */
export function createConnectPluginClient(
  baseUrl: string,
  options: ConnectPluginClientOptions = {},
): PluginClient {
  return createPluginClient(
    createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: !options.useJson }),
  );
}
