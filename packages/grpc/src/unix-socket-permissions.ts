import { chmod, chown, readFile } from "node:fs/promises";
import { privateSocketDir } from "./unix-socket-path.js";

/**
 * Restricts who may connect to the plugin's socket: owner only (0600) by default; with `group`
 * (`PLUGIN_UNIX_SOCKET_GROUP`, a group name or gid) the socket is given to that group and made
 * 0660, as go-plugin does for hosts that run as another user of a shared group. The socket's
 * private directory (`createUnixSocketPath`) stays 0700, or with `group` is given to it as 0710:
 * the group may pass through to the socket, not list or change the directory.
 */
export async function setUnixSocketPermissions(path: string, group?: string): Promise<void> {
  if (group === undefined) {
    await chmod(path, 0o600);
    return;
  }
  const gid = await resolveGroupId(group);
  await chown(path, -1, gid);
  await chmod(path, 0o660);
  const dir = privateSocketDir(path);
  if (dir) {
    await chown(dir, -1, gid);
    await chmod(dir, 0o710);
  }
}

/** A gid from a number or a group name in `/etc/group`; throws when neither. */
export async function resolveGroupId(group: string, groupFile = "/etc/group"): Promise<number> {
  if (/^\d+$/.test(group)) return Number(group);
  let text = "";
  try {
    text = await readFile(groupFile, "utf8");
  } catch {
    // No group database: the name cannot be resolved, reported below.
  }
  for (const line of text.split("\n")) {
    const [name, , gid] = line.split(":");
    if (name === group && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  throw new Error(`unknown group "${group}" in PLUGIN_UNIX_SOCKET_GROUP`);
}
