import { randomBytes } from "node:crypto";
import { open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh path for the plugin's unix socket in `dir` (default: the OS temp dir), named like
 * go-plugin's (`plugin` and random digits). The name is claimed by creating the file exclusively
 * and then removed, since a socket cannot bind over an existing file.
 */
export async function createUnixSocketPath(dir: string = tmpdir()): Promise<string> {
  for (;;) {
    const path = join(dir, `plugin${randomBytes(6).readUIntBE(0, 6)}`);
    try {
      const handle = await open(path, "wx", 0o600);
      await handle.close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    await rm(path, { force: true });
    return path;
  }
}
