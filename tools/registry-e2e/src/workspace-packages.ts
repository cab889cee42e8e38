import { access, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** One package of the repository's `packages/` directory. */
export interface WorkspacePackage {
  name: string;
  version: string;
  /** Its directory, absolute. */
  dir: string;
}

/** Returns the packages under `<repoRoot>/packages` that are published (not `private`), by name. */
export async function listPublishedPackages(repoRoot: string): Promise<WorkspacePackage[]> {
  const root = join(repoRoot, "packages");
  const found: WorkspacePackage[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    let manifest: { name?: unknown; version?: unknown; private?: unknown };
    try {
      manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    if (manifest.private === true) continue;
    if (typeof manifest.name !== "string" || typeof manifest.version !== "string") {
      throw new Error(`${join(dir, "package.json")} has no name or version`);
    }
    found.push({ name: manifest.name, version: manifest.version, dir });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Returns the `dist` directories of `packages` that do not exist (each package publishes its dist). */
export async function findUnbuilt(packages: readonly WorkspacePackage[]): Promise<string[]> {
  const missing: string[] = [];
  for (const p of packages) {
    const dist = join(p.dir, "dist");
    await access(dist).catch(() => missing.push(dist));
  }
  return missing;
}
