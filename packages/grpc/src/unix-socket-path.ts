import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The private directories made by {@link createUnixSocketPath} and not yet removed. */
const privateDirs = new Set<string>();
let exitHookInstalled = false;

/** Removes what is left of the private directories when the process exits without closing its server. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const dir of privateDirs) rmSync(dir, { recursive: true, force: true });
    privateDirs.clear();
  });
}

/**
 * A fresh path for the plugin's unix socket: `plugin<digits>`, named like go-plugin's, in a new
 * directory `plugin<random>` made in `dir` (default: the OS temp dir; go-plugin's socket is right
 * in it). The
 * directory is owner-only (0700, whatever the umask), so nobody else can reach the socket, take
 * its name first, or connect in the moment between bind and its chmod to 0600; the host only
 * reads the path from the handshake. {@link removeUnixSocket} removes both; so does the process's
 * exit.
 */
export async function createUnixSocketPath(dir: string = tmpdir()): Promise<string> {
  // mkdtemp creates the directory with mode 0700 and a name nobody else holds.
  const privateDir = await mkdtemp(join(dir, "plugin"));
  privateDirs.add(privateDir);
  installExitHook();
  return join(privateDir, `plugin${randomBytes(6).readUIntBE(0, 6)}`);
}

/** The private directory of a socket path from {@link createUnixSocketPath}; undefined for any other path. */
export function privateSocketDir(path: string): string | undefined {
  const dir = dirname(path);
  return privateDirs.has(dir) ? dir : undefined;
}

/** Removes the socket at `path` and, when {@link createUnixSocketPath} made it, its directory. */
export async function removeUnixSocket(path: string): Promise<void> {
  await rm(path, { force: true });
  const dir = privateSocketDir(path);
  if (dir) {
    privateDirs.delete(dir);
    await rm(dir, { recursive: true, force: true });
  }
}
