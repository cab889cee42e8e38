// Runs on Node's type stripping too (scripts/write-versions.ts imports it): plain TypeScript only.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The gfsdk packages a generated project depends on, by name, with their directory under `packages/`. */
export const templatePackages = {
  "@gfsdk/core": "core",
  "@gfsdk/grpc": "grpc",
  "@gfsdk/dataframe": "dataframe",
  "@gfsdk/cli": "cli",
  "@gfsdk/in-process": "in-process",
} as const;

/** A version range for each of {@link templatePackages}, e.g. `{ "@gfsdk/core": "^0.1.0" }`. */
export type TemplateVersions = Record<keyof typeof templatePackages, string>;

/**
 * Reads the version of each of {@link templatePackages} from the workspace's `packages/<dir>/package.json`
 * and returns caret ranges (`^x.y.z`). Throws when a package is missing or is not the one expected.
 */
export function readWorkspaceVersions(packagesDir: string): TemplateVersions {
  const out: Record<string, string> = {};
  for (const [name, dir] of Object.entries(templatePackages)) {
    const file = join(packagesDir, dir, "package.json");
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
    if (manifest.name !== name) throw new Error(`${file} is ${String(manifest.name)}, expected ${name}`);
    if (typeof manifest.version !== "string" || !/^\d+\.\d+\.\d+/.test(manifest.version)) {
      throw new Error(`${file} has no version of the form x.y.z`);
    }
    out[name] = `^${manifest.version}`;
  }
  return out as TemplateVersions;
}
