import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runServer } from "verdaccio";

/** Settings for {@link startLocalRegistry}. */
export interface LocalRegistryOptions {
  /**
   * Package patterns (Verdaccio's `packages` keys) the registry serves and accepts; anything else
   * is unknown to it. Default `["@gfsdk/*"]`.
   */
  packages?: string[];
  /** The user created for publishing. Default `gfsdk-e2e`. */
  user?: string;
  /** Verdaccio's log level (its log goes to this process's stdout). Default `warn`. */
  logLevel?: "fatal" | "error" | "warn" | "info" | "http" | "debug" | "trace";
}

/** A running local registry. */
export interface LocalRegistry {
  /** The registry's base URL, `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** An npm auth token of a user allowed to publish. */
  authToken: string;
  /** The `.npmrc` line that hands {@link authToken} to npm for this registry. */
  authLine: string;
  /** Closes the server and removes its storage and config. */
  stop(): Promise<void>;
}

/**
 * Starts Verdaccio in this process on 127.0.0.1 with a free port, its storage and user database in a
 * new temp dir, serving only `options.packages`. It has no uplinks, so it can never hand out a
 * package it did not receive by publish: whatever an install gets from it was published to it.
 * Everyone may read; publishing needs the token of the user it creates through npm's login
 * endpoint (`PUT /-/user/org.couchdb.user:<name>`), as `npm adduser` would.
 */
export async function startLocalRegistry(options: LocalRegistryOptions = {}): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "gfsdk-registry-"));
  let server: Server | undefined;
  try {
    const rule = { access: "$all", publish: "$authenticated", unpublish: "$authenticated" };
    const configuration = {
      // Verdaccio resolves relative paths from self_path; every path here is absolute anyway.
      self_path: join(dir, "config.yaml"),
      storage: join(dir, "storage"),
      auth: { htpasswd: { file: join(dir, "htpasswd"), max_users: 1 } },
      // JWT tokens: checking one is a signature check. The default (legacy) token carries the
      // password, which every request would hash again (a third of a second each, with a warning).
      security: { api: { jwt: { sign: { expiresIn: "1h" } } } },
      uplinks: {},
      packages: Object.fromEntries((options.packages ?? ["@gfsdk/*"]).map((pattern) => [pattern, rule])),
      // No web UI and no middlewares: the default audit middleware would proxy to npmjs.org.
      web: { enable: false },
      log: { type: "stdout", format: "json", level: options.logLevel ?? "warn" },
    };
    server = (await runServer(configuration)) as Server;
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(0, "127.0.0.1", () => {
        listening.off("error", reject);
        resolve();
      });
    });
    const { port } = listening.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const authToken = await createUser(url, options.user ?? "gfsdk-e2e");
    let stopped: Promise<void> | undefined;
    return {
      url,
      authToken,
      authLine: `//127.0.0.1:${port}/:_authToken=${authToken}`,
      stop() {
        stopped ??= closeServer(listening).finally(() => rm(dir, { recursive: true, force: true }));
        return stopped;
      },
    };
  } catch (error) {
    if (server?.listening) await closeServer(server);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Registers a user the way `npm adduser` does and returns its token. */
async function createUser(url: string, name: string): Promise<string> {
  // A random password: nobody logs in again, the token is all that is used.
  const password = crypto.randomUUID();
  const response = await fetch(`${url}/-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: "user", roles: [] }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown };
  if (response.status !== 201 || typeof body.token !== "string" || body.token === "") {
    throw new Error(`creating registry user ${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
  }
  return body.token;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections (npm keeps them open) would hold close() for a minute.
    server.closeAllConnections();
  });
}
