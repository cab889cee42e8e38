import { assertLoopbackHost } from "@gfsdk/core/protocol";
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
      /**
       * The host; default `127.0.0.1`. A host other than loopback is refused unless `allowRemote`
       * is set: the plugin has no authentication of its own.
       */
      host?: string;
      /** Listen on a non-loopback `host` (for example `0.0.0.0`) anyway. Default `false`. */
      allowRemote?: boolean;
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
  const host = addressHost(
    assertLoopbackHost(target.host ?? "127.0.0.1", {
      allowRemote: target.allowRemote,
      optionName: "listen.allowRemote",
    }),
  );
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

/**
 * `host` as written in a `host:port` address: IPv6 in brackets, and `localhost` as `127.0.0.1`,
 * so the handshake names the address itself, not a name the host would resolve again.
 */
function addressHost(host: string): string {
  const bare = host.trim().replace(/^\[(.*)\]$/, "$1");
  if (bare.toLowerCase().replace(/\.$/, "") === "localhost") return "127.0.0.1";
  return bare.includes(":") ? `[${bare}]` : bare;
}

function bindAsync(server: Server, address: string, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => (error ? reject(error) : resolve(port)));
  });
}
