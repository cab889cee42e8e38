import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Plugin } from "@gfsdk/core";
import { assertLoopbackHost } from "@gfsdk/core/protocol";
import { type ConnectHandlerOptions, createConnectHandler } from "./connect-handler.js";

/** Options of {@link serveConnect}. */
export interface ServeConnectOptions extends ConnectHandlerOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /**
   * Address to bind. Default `127.0.0.1`. A host other than loopback (`0.0.0.0`, `::`, a LAN
   * address, or `""`, which means every interface) is refused unless `allowRemote` is set: the
   * plugin answers anyone who can reach it, with its data sources' credentials.
   */
  host?: string;
  /** Listen on a non-loopback `host` anyway, for example inside a container. Default `false`. */
  allowRemote?: boolean;
}

/** A running Connect server. */
export interface ConnectServer {
  /** The base URL, for example `http://127.0.0.1:43211`. */
  url: string;
  port: number;
  server: Server;
  /** Stops accepting connections, ends open ones and disposes the plugin's instances. */
  close(): Promise<void>;
}

/**
 * Serves a plugin over HTTP/1.1 with Connect (JSON and binary) and gRPC-web, for curl, browsers and
 * tests. HTTP/1.1 carries no gRPC trailers; use an HTTP/2 server with {@link createConnectHandler} for gRPC.
 */
export async function serveConnect<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: ServeConnectOptions = {},
): Promise<ConnectServer> {
  // Checked before anything is built: a refused host leaves no handler or plugin instance behind.
  const host = assertLoopbackHost(options.host ?? "127.0.0.1", { allowRemote: options.allowRemote }).replace(
    /^\[(.*)\]$/,
    "$1",
  );
  const handler = createConnectHandler(plugin, options);
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    server,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await handler.close();
    },
  };
}
