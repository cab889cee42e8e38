import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { isSea } from "node:sea";

/** A plugin directory: the one holding the plugin's `plugin.json`. */
export interface PluginDir {
  dir: string;
  /** The `id` in its `plugin.json`. */
  id: string;
}

/**
 * The directory of the running executable: the binary itself for a single-executable build,
 * otherwise the main script (`node dist/main.js`), otherwise the working directory.
 */
export function executableDir(): string {
  if (isSea()) return dirname(process.execPath);
  const script = process.argv[1];
  return script ? dirname(resolve(script)) : process.cwd();
}

/**
 * Where to look for the plugin dir, in order, as the Go SDK does: the executable's dir, the
 * working dir and its `dist`, and the parent (and its `dist`) when working in `pkg`.
 */
export function pluginDirCandidates(exeDir: string = executableDir(), cwd: string = process.cwd()): string[] {
  const candidates = [exeDir, cwd, join(cwd, "dist")];
  if (basename(cwd) === "pkg") candidates.push(dirname(cwd), join(dirname(cwd), "dist"));
  return [...new Set(candidates.map((dir) => resolve(dir)))];
}

/** The plugin.json of `dir`, if it has one with an `id`. */
export async function readPluginDir(dir: string): Promise<PluginDir | undefined> {
  try {
    const json = JSON.parse(await readFile(join(dir, "plugin.json"), "utf8")) as { id?: unknown };
    return typeof json.id === "string" && json.id !== "" ? { dir, id: json.id } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first candidate directory whose `plugin.json` has `pluginId` (any id when `pluginId` is
 * undefined); undefined when none has.
 */
export async function findPluginDir(
  pluginId: string | undefined,
  candidates: string[] = pluginDirCandidates(),
): Promise<PluginDir | undefined> {
  for (const dir of candidates) {
    const found = await readPluginDir(dir);
    if (found && (pluginId === undefined || found.id === pluginId)) return found;
  }
  return undefined;
}
