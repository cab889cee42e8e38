import { type Server, ServerCredentials } from "@grpc/grpc-js";
import { setUnixSocketPermissions } from "./unix-socket-permissions.js";

/** Where a plugin server listens. */
export type ListenTarget =
  | {
      network: "unix";
      /** The socket path; see `createUnixSocketPath`. */
      path: string;
      /** Group name or gid to own the socket (mode 0660); default none (mode 0600). */
      group?: string;
    }
  | {
      network: "tcp";
      /** A loopback host; default `127.0.0.1`. Other hosts are refused: the plugin has no authentication. */
      host?: string;
      /** First port to try; default 0, any free port. */
      minPort?: number;
      /** Last port to try; default `minPort`. */
      maxPort?: number;
    };

/** Where a server was bound: a socket path, or `host:port`. */
export interface BoundAddress {
  network: "unix" | "tcp";
  address: string;
}

/**
 * Binds `server` to `target`: the unix socket (then restricted to its owner or group), or the first
 * free port of the range on loopback, as go-plugin's `serverListener` does. `credentials` default
 * to plaintext, what go-plugin hosts expect unless they asked for AutoMTLS.
 */
export async function bindGrpcServer(
  server: Server,
  target: ListenTarget,
  credentials: ServerCredentials = ServerCredentials.createInsecure(),
): Promise<BoundAddress> {
  if (target.network === "unix") {
    await bindAsync(server, `unix:${target.path}`, credentials);
    await setUnixSocketPermissions(target.path, target.group);
    return { network: "unix", address: target.path };
  }
  const host = loopbackHost(target.host ?? "127.0.0.1");
  const minPort = target.minPort ?? 0;
  const maxPort = target.maxPort ?? minPort;
  let lastError: unknown;
  for (let port = minPort; port <= maxPort; port++) {
    try {
      const bound = await bindAsync(server, `${host}:${port}`, credentials);
      return { network: "tcp", address: `${host}:${bound}` };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`could not bind a TCP port on ${host} in ${minPort}..${maxPort}`, { cause: lastError });
}

/** `host` as written in an address, if it is loopback; throws otherwise. */
export function loopbackHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (bare === "localhost" || /^127(\.\d{1,3}){3}$/.test(bare))
    return bare === "localhost" ? "127.0.0.1" : bare;
  if (bare === "::1") return "[::1]";
  throw new Error(`refusing to listen on non-loopback host "${host}": plugins only serve their local host`);
}

function bindAsync(server: Server, address: string, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port)));
  });
}
