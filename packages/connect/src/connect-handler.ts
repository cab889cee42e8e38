import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Plugin } from "@gfsdk/core";
import type { PluginServicesOptions } from "@gfsdk/core/protocol";
import { createPluginServices, defaultMaxMessageBytes, registerPlugin } from "@gfsdk/core/protocol";

/** Options of {@link createConnectHandler}. */
export interface ConnectHandlerOptions extends PluginServicesOptions {
  /** Largest request accepted, in bytes. Default `defaultMaxMessageBytes` (16 MiB), as Grafana's gRPC limit. */
  readMaxBytes?: number;
}

/** A Node request handler serving a plugin, and a way to release the plugin. */
export interface ConnectHandler {
  (
    req: IncomingMessage | Http2ServerRequest,
    res: ServerResponse | Http2ServerResponse,
    next?: () => void,
  ): void;
  /** Disposes the plugin's instances. */
  close(): Promise<void>;
}

/**
 * A `node:http`/`node:http2` request handler that serves a plugin's pluginv2 services over the
 * Connect protocol (JSON and binary), gRPC and gRPC-web. Paths are `/pluginv2.<Service>/<Method>`.
 */
export function createConnectHandler<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: ConnectHandlerOptions = {},
): ConnectHandler {
  const services = createPluginServices(plugin, options);
  const handler = connectNodeAdapter({
    routes: (router) => registerPlugin(router, services),
    readMaxBytes: options.readMaxBytes ?? defaultMaxMessageBytes,
  });
  return Object.assign(handler, { close: () => services.close() });
}
