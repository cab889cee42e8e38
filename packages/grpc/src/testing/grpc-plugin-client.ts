import { connect } from "node:net";
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { createPluginClient, type PluginClient } from "@gfsdk/core";

/** A {@link PluginClient} over a gRPC connection, and a way to close that connection. */
export type GrpcPluginClient = PluginClient & {
  /** The Connect transport, for clients of other services (health, controller). */
  transport: Transport;
  /** Closes the connection and every open call. */
  close(): void;
};

/**
 * Testing utility: a {@link PluginClient} that calls a plugin served by `serve` or
 * `createGrpcServer` over gRPC, as Grafana does, through Connect's gRPC transport (an independent
 * client implementation). `address` is a unix socket path (`/tmp/plugin123` or `unix:/tmp/plugin123`)
 * or `host:port`.
 */
export function createGrpcPluginClient(address: string): GrpcPluginClient {
  const socketPath = address.startsWith("unix:")
    ? address.slice("unix:".length)
    : address.startsWith("/")
      ? address
      : undefined;
  const baseUrl = socketPath === undefined ? `http://${address}` : "http://localhost";
  const nodeOptions = {
    // Node's default (10 MB) makes the session refuse large requests; Grafana's client has no such limit.
    maxSessionMemory: Number.MAX_SAFE_INTEGER,
    ...(socketPath === undefined ? {} : { createConnection: () => connect(socketPath) }),
  };
  const sessionManager = new Http2SessionManager(baseUrl, {}, nodeOptions);
  const transport = createGrpcTransport({ baseUrl, sessionManager });
  return Object.assign(createPluginClient(transport), { transport, close: () => sessionManager.abort() });
}
