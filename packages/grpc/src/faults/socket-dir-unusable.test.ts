// Fault: the directory for the unix socket (PLUGIN_UNIX_SOCKET_DIR, else TMPDIR) cannot take it:
// not a directory, missing, read-only, full. The plugin says why on stderr and exits 1, printing
// nothing on stdout. Tests run as root, for whom permissions do not stop a write, so the read-only
// and full cases use a tmpfs mounted in a mount namespace of the plugin's own (`unshare -rm`),
// which any user can make where user namespaces are enabled and which vanishes with the process.
import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PluginProcess, watchPluginProcess } from "@gfsdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goPluginEnv, startPluginProcess, useFixtureBundle } from "../testing/plugin-process.js";

const fixture = useFixtureBundle();
let dir: string;
/** Why a private tmpfs cannot be mounted here, or undefined when it can. */
let noMount: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gfsdk-socket-dir-"));
  await writeFile(join(dir, "regular-file"), "");
  await mkdir(join(dir, "mnt"));
  try {
    execFileSync("unshare", ["-rm", "sh", "-c", `mount -t tmpfs -o ro tmpfs ${join(dir, "mnt")}`], {
      stdio: "pipe",
    });
  } catch (error) {
    noMount = `cannot mount a private tmpfs here (unshare -rm: ${(error as Error).message.split("\n")[0]})`;
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the plugin in a mount namespace where `mountOptions` tmpfs is mounted on `dir/mnt`. */
function startInMountNamespace(
  mountOptions: string,
  prepare: string,
  env: Record<string, string>,
): PluginProcess {
  const mnt = join(dir, "mnt");
  const vars = Object.entries(env).map(([key, value]) => `${key}=${value}`);
  const script = `mount -t tmpfs -o ${mountOptions} tmpfs "$1" && ${prepare} && shift && exec env -i "$@"`;
  const child = spawn(
    "unshare",
    ["-rm", "sh", "-c", script, "sh", mnt, ...vars, process.execPath, fixture.path],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return watchPluginProcess(child);
}

async function expectRefusal(plugin: PluginProcess, reason: RegExp): Promise<void> {
  expect(await plugin.exited).toEqual({ code: 1, signal: null });
  expect(plugin.stdout()).toBe("");
  expect(plugin.stderr()).toMatch(reason);
}

describe("a plugin whose unix socket directory is unusable", () => {
  it("exits 1 naming PLUGIN_UNIX_SOCKET_DIR when it is under a regular file (ENOTDIR)", async () => {
    const socketDir = join(dir, "regular-file", "sockets");
    const plugin = startPluginProcess(fixture.path, goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: socketDir }));
    await expectRefusal(
      plugin,
      new RegExp(
        `^plugin init error: cannot create the unix socket in ${socketDir} \\(PLUGIN_UNIX_SOCKET_DIR\\): ENOTDIR`,
      ),
    );
  });

  it("exits 1 naming TMPDIR when the OS temp dir is unusable and PLUGIN_UNIX_SOCKET_DIR is not set", async () => {
    const socketDir = join(dir, "regular-file", "tmp");
    const plugin = startPluginProcess(fixture.path, goPluginEnv({ TMPDIR: socketDir }));
    await expectRefusal(
      plugin,
      new RegExp(`cannot create the unix socket in ${socketDir} \\(the OS temp dir, TMPDIR\\): ENOTDIR`),
    );
  });

  it("exits 1 when it does not exist (ENOENT)", async () => {
    const socketDir = join(dir, "missing");
    const plugin = startPluginProcess(fixture.path, goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: socketDir }));
    await expectRefusal(
      plugin,
      /cannot create the unix socket in .*missing \(PLUGIN_UNIX_SOCKET_DIR\): ENOENT/,
    );
  });

  it("exits 1 when it is on a read-only file system (EROFS)", async (context) => {
    if (noMount) context.skip(`read-only case not run: ${noMount}`);
    const mnt = join(dir, "mnt");
    const plugin = startInMountNamespace("ro", "true", goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: mnt }));
    await expectRefusal(plugin, /cannot create the unix socket in .*mnt \(PLUGIN_UNIX_SOCKET_DIR\): EROFS/);
  });

  it("exits 1 when its file system is full (ENOSPC: no inode left)", async (context) => {
    if (noMount) context.skip(`full-disk case not run: ${noMount}`);
    const mnt = join(dir, "mnt");
    // Two inodes: the root directory and one file; the socket finds none free.
    const plugin = startInMountNamespace(
      "size=16k,nr_inodes=2",
      `touch "$1/filler"`,
      goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: mnt }),
    );
    await expectRefusal(plugin, /cannot create the unix socket in .*mnt \(PLUGIN_UNIX_SOCKET_DIR\): ENOSPC/);
  });

  it("exits 1 when the socket path would pass the 107 bytes a unix socket address holds", async () => {
    const socketDir = join(dir, "d".repeat(110));
    await mkdir(socketDir);
    const plugin = startPluginProcess(fixture.path, goPluginEnv({ PLUGIN_UNIX_SOCKET_DIR: socketDir }));
    await expectRefusal(plugin, /plugin init error: .*listen EINVAL/);
  });
});
