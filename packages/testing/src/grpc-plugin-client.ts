import { connect } from "node:net";
import { connect as connectTls } from "node:tls";
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { createPluginClient, type PluginClient } from "@gfsdk/core/protocol";

/** A {@link PluginClient} over a gRPC connection, and a way to close that connection. */
export type GrpcPluginClient = PluginClient & {
  /** The Connect transport, for clients of other services (health, controller). */
  transport: Transport;
  /** Closes the connection and every open call. */
  close(): void;
};

/** Options of {@link createGrpcPluginClient}. */
export interface GrpcPluginClientOptions {
  /**
   * Connect over TLS, as a go-plugin host with AutoMTLS does: `ca` is the server certificate to
   * trust (PEM; handshake field 6 holds its DER), `cert` and `key` the client certificate to
   * present (PEM). The server name checked is `localhost`. Default: plaintext.
   */
  tls?: { ca: string; cert?: string; key?: string };
}

/**
 * Testing utility: a {@link PluginClient} that calls a plugin served by `serve` or
 * `createGrpcServer` over gRPC, as Grafana does, through Connect's gRPC transport (an independent
 * client implementation). `address` is a unix socket path (`/tmp/plugin123` or `unix:/tmp/plugin123`)
 * or `host:port`.
 */
export function createGrpcPluginClient(
  address: string,
  options: GrpcPluginClientOptions = {},
): GrpcPluginClient {
  const socketPath = address.startsWith("unix:")
    ? address.slice("unix:".length)
    : address.startsWith("/")
      ? address
      : undefined;
  const { tls } = options;
  const scheme = tls ? "https" : "http";
  const baseUrl = socketPath === undefined ? `${scheme}://${address}` : `${scheme}://localhost`;
  const target = socketPath === undefined ? new URL(baseUrl) : undefined;
  const createConnection = tls
    ? () =>
        connectTls({
          ...(target ? { host: target.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(target.port) } : {}),
          ...(socketPath === undefined ? {} : { path: socketPath }),
          servername: "localhost",
          ALPNProtocols: ["h2"],
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
        })
    : socketPath === undefined
      ? undefined
      : () => connect(socketPath);
  const nodeOptions = {
    // Node's default (10 MB) makes the session refuse large requests; Grafana's client has no such limit.
    maxSessionMemory: Number.MAX_SAFE_INTEGER,
    ...(createConnection === undefined ? {} : { createConnection }),
  };
  const sessionManager = new Http2SessionManager(baseUrl, {}, nodeOptions);
  const transport = createGrpcTransport({ baseUrl, sessionManager });
  return Object.assign(createPluginClient(transport), { transport, close: () => sessionManager.abort() });
}
