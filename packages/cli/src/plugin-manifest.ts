import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** The fields of a backend plugin's `plugin.json` that the build relies on. */
export interface PluginManifest {
  id: string;
  type: "datasource" | "app";
  name: string;
  backend: true;
  /** The executable's base name: Grafana runs `<executable>_<os>_<arch>[.exe]`. */
  executable: string;
  /** The whole parsed file, written to the out dir with its placeholders filled. */
  json: Record<string, unknown>;
}

/** A plugin.json found and validated: where it is, and what it says. */
export interface LoadedManifest {
  path: string;
  manifest: PluginManifest;
}

/** Where `@grafana/create-plugin` puts plugin.json, then the plain layout. */
const manifestLocations = ["src/plugin.json", "plugin.json"];

/**
 * Finds `src/plugin.json` or `plugin.json` under `projectDir` and validates it for a backend
 * plugin. Throws one error listing every mistake, each with its fix.
 */
export async function loadPluginManifest(projectDir: string): Promise<LoadedManifest> {
  for (const location of manifestLocations) {
    const path = join(projectDir, location);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${relative(projectDir, path)} is not valid JSON: ${(error as Error).message}`);
    }
    return { path, manifest: validatePluginManifest(json, relative(projectDir, path)) };
  }
  throw new Error(
    `no plugin.json in ${projectDir}: looked for ${manifestLocations.join(" and ")}. ` +
      "Run gfsdk in the plugin's project directory, or create one with `npm create @gfsdk/plugin`.",
  );
}

/** Validates a parsed plugin.json; `name` is how errors refer to the file. */
export function validatePluginManifest(json: unknown, name = "plugin.json"): PluginManifest {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new Error(`${name} must hold a JSON object`);
  const fields = json as Record<string, unknown>;
  const problems: string[] = [];
  const { id, type, name: pluginName, backend, executable } = fields;
  if (typeof id !== "string" || id === "")
    problems.push('"id" is missing: set it to e.g. "myorg-name-datasource"');
  else if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(id))
    problems.push(
      `"id" "${id}" may hold only lowercase letters, digits and dashes (e.g. "myorg-name-${type === "app" ? "app" : "datasource"}")`,
    );
  if (type !== "datasource" && type !== "app")
    problems.push(`"type" is ${JSON.stringify(type)}: a backend plugin is a "datasource" or an "app"`);
  if (typeof pluginName !== "string" || pluginName === "")
    problems.push('"name" is missing: the name Grafana shows');
  if (backend !== true) problems.push('"backend" must be true, or Grafana never starts the executable');
  if (typeof executable !== "string" || executable === "")
    problems.push(
      '"executable" is missing: set it to e.g. "gpx_myplugin"; Grafana runs <executable>_<os>_<arch>',
    );
  else if (!/^[A-Za-z0-9_.-]+$/.test(executable))
    problems.push(`"executable" "${executable}" must be a bare file name (letters, digits, "_", "-", ".")`);
  if (problems.length > 0)
    throw new Error(`${name} is not a valid backend plugin manifest:\n  - ${problems.join("\n  - ")}`);
  return {
    id: id as string,
    type: type as "datasource" | "app",
    name: pluginName as string,
    backend: true,
    executable: executable as string,
    json: fields,
  };
}

/**
 * The manifest as written to the out dir: `%VERSION%` and `%TODAY%` filled in, as
 * `@grafana/create-plugin`'s frontend build fills them.
 */
export function renderPluginManifest(manifest: PluginManifest, version: string, today: Date): string {
  const text = JSON.stringify(manifest.json, null, 2)
    .replaceAll("%VERSION%", version)
    .replaceAll("%TODAY%", today.toISOString().slice(0, 10));
  return `${text}\n`;
}
