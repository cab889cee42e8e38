import { chmod, chown, readFile } from "node:fs/promises";

/**
 * Restricts who may connect to the plugin's socket: owner only (0600) by default; with `group`
 * (`PLUGIN_UNIX_SOCKET_GROUP`, a group name or gid) the socket is given to that group and made
 * 0660, as go-plugin does for hosts that run as another user of a shared group.
 */
export async function setUnixSocketPermissions(path: string, group?: string): Promise<void> {
  if (group === undefined) {
    await chmod(path, 0o600);
    return;
  }
  await chown(path, -1, await resolveGroupId(group));
  await chmod(path, 0o660);
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
