import type { Socket } from "node:net";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";
import { SocksClient } from "socks";
import { buildConnector } from "undici";
import type { HttpProxySettings } from "./http-settings.js";

/** A connection through the secure socks proxy failed: the proxy named, the reason as cause. */
export class SecureSocksProxyError extends Error {
  override name = "SecureSocksProxyError";
  /** The proxy's `host:port`. */
  readonly proxyAddress: string;

  constructor(proxyAddress: string, cause: unknown) {
    super(`secure socks proxy ${proxyAddress}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.proxyAddress = proxyAddress;
  }
}

/** `host:port` split; an IPv6 host may be bracketed (`[::1]:1080`). */
function hostPort(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (!m)
    throw new TypeError(`invalid secure socks proxy address ${JSON.stringify(address)}: expected host:port`);
  return { host: m[1] as string, port: Number(m[2]) };
}

/** A TLS connection to the proxy itself, as the Go SDK's dialer makes it: client certificate, TLS 1.3. */
function proxyTls(
  proxy: HttpProxySettings,
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port,
      servername: proxy.serverName || host,
      ca: proxy.rootCaCerts.length > 0 ? proxy.rootCaCerts : undefined,
      cert: proxy.clientCert || undefined,
      key: proxy.clientKey || undefined,
      minVersion: "TLSv1.3",
    });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const onAbort = () =>
      fail(new Error(`connecting to the secure socks proxy timed out after ${proxy.timeoutMs} ms`));
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("secureConnect", () => {
      signal.removeEventListener("abort", onAbort);
      socket.off("error", fail);
      resolve(socket);
    });
    socket.once("error", fail);
  });
}

/**
 * An undici `connect` function that opens every connection through the secure socks proxy
 * (Grafana's private data source connect) as the Go SDK's `proxy.NewSecureSocksProxyContextDialer`:
 * TLS 1.3 with a client certificate to the proxy (plain TCP with `allowInsecure`), SOCKS5 with the
 * data source's user and password (the `socks` library), then TLS to the target for `https:` with
 * `tls` (undici's own connector, given the proxied socket).
 */
export function createSecureSocksConnector(
  proxy: HttpProxySettings,
  tls: ConnectionOptions & { timeout?: number },
): buildConnector.connector {
  const { host, port } = hostPort(proxy.address);
  const targetTls = buildConnector(tls);
  return (options, callback) => {
    const signal = AbortSignal.timeout(proxy.timeoutMs);
    (async () => {
      const existing = proxy.allowInsecure ? undefined : await proxyTls(proxy, host, port, signal);
      const { socket } = await SocksClient.createConnection({
        command: "connect",
        proxy: { host, port, type: 5, userId: proxy.username, password: proxy.password },
        destination: {
          host: options.hostname,
          port: Number(options.port) || (options.protocol === "https:" ? 443 : 80),
        },
        timeout: proxy.timeoutMs,
        ...(existing ? { existing_socket: existing } : {}),
      });
      return socket;
    })().then(
      (socket) => {
        if (options.protocol === "https:") targetTls({ ...options, httpSocket: socket }, callback);
        else callback(null, socket);
      },
      (error: unknown) => callback(new SecureSocksProxyError(proxy.address, error), null),
    );
  };
}
