import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { CreatePluginError } from "./create-plugin-error.js";
import { defaultPluginName } from "./default-plugin-name.js";
import { executableName } from "./executable-name.js";
import { type TemplateVersions, templatePackages } from "./read-workspace-versions.js";
import { type PluginType, pluginTypes, validatePluginId } from "./validate-plugin-id.js";

/** What {@link createPlugin} writes. */
export interface CreatePluginOptions {
  /** Where to write the project: created when missing, refused when it is not empty. */
  directory: string;
  /** A data source or an app. */
  type: PluginType;
  /** The plugin id, `<org>-<name>-<type>` as Grafana requires, e.g. `myorg-ramp-datasource`. */
  id: string;
  /** The name Grafana shows; default from the id (`myorg-ramp-datasource` → `"Ramp"`). */
  name?: string;
  /** Version ranges of the gfsdk packages; default: those this package was built with (`dist/versions.json`). */
  versions?: TemplateVersions;
}

/** The project {@link createPlugin} wrote. */
export interface CreatedPlugin {
  /** The project directory, absolute. */
  directory: string;
  /** The files written, relative to `directory` with `/` separators, sorted. */
  files: string[];
}

// Both src/ (tests) and dist/ (the published bin) sit one level below the package root.
const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const templatesDir = join(packageRoot, "templates");

/** Characters that would break the JSON, TypeScript and YAML the name is written into. */
const unsafeNameCharacters = /["\\`$<>\p{Cc}]/u;

async function bundledVersions(): Promise<TemplateVersions> {
  const file = join(packageRoot, "dist", "versions.json");
  try {
    return JSON.parse(await readFile(file, "utf8")) as TemplateVersions;
  } catch (error) {
    throw new Error(`cannot read ${file}: build @gfsdk/create-plugin first (npm run build)`, {
      cause: error,
    });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/** Where a template file goes: npm drops `.gitignore` from packages, so dot files are stored without the dot. */
function targetPath(templatePath: string): string {
  const parts = templatePath.split("/");
  if (parts[0] === "github") parts[0] = ".github";
  if (parts.at(-1) === "gitignore") parts[parts.length - 1] = ".gitignore";
  return parts.join("/");
}

async function ensureEmptyDirectory(directory: string): Promise<void> {
  const info = await stat(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (info === undefined) {
    await mkdir(directory, { recursive: true });
    return;
  }
  if (!info.isDirectory()) throw new CreatePluginError(`${directory} exists and is not a directory`);
  const entries = (await readdir(directory)).sort();
  if (entries.length > 0) {
    const shown =
      entries.slice(0, 5).join(", ") + (entries.length > 5 ? `, … (${entries.length} in all)` : "");
    throw new CreatePluginError(
      `refusing to write into ${directory}: the directory is not empty (it has ${shown}); choose a new or empty directory`,
    );
  }
}

/**
 * Writes a new plugin project from the templates: `package.json`, `tsconfig.json`, `src/plugin.ts`
 * and its test, `src/main.ts`, `src/plugin.json`, a README, a CI workflow and `.gitignore`, with the
 * id, name, executable and gfsdk versions filled in. Throws {@link CreatePluginError} for an invalid
 * type, id or name, or a directory that is not empty, before writing anything.
 */
export async function createPlugin(options: CreatePluginOptions): Promise<CreatedPlugin> {
  const { type, id } = options;
  if (!pluginTypes.includes(type)) {
    throw new CreatePluginError(
      `unknown plugin type ${JSON.stringify(type)}; choose one of ${pluginTypes.join(", ")}`,
    );
  }
  const idError = validatePluginId(id, type);
  if (idError !== undefined) throw new CreatePluginError(idError);
  const name = (options.name ?? defaultPluginName(id)).trim();
  if (name === "" || unsafeNameCharacters.test(name)) {
    throw new CreatePluginError(
      `the plugin name ${JSON.stringify(name)} is empty or has one of " \\ \` $ < > or a control character`,
    );
  }
  const versions = options.versions ?? (await bundledVersions());
  for (const name of Object.keys(templatePackages) as (keyof TemplateVersions)[]) {
    if (typeof versions[name] !== "string") throw new Error(`no version for ${name} in the gfsdk versions`);
  }
  const directory = resolve(options.directory);
  await ensureEmptyDirectory(directory);

  const values: Record<string, string> = {
    __PLUGIN_ID__: id,
    __PLUGIN_NAME__: name,
    __PLUGIN_TYPE__: type,
    __PLUGIN_ORG__: id.split("-")[0] ?? id,
    __EXECUTABLE__: executableName(id),
    __GFSDK_CORE_VERSION__: versions["@gfsdk/core"],
    __GFSDK_GRPC_VERSION__: versions["@gfsdk/grpc"],
    __GFSDK_DATAFRAME_VERSION__: versions["@gfsdk/dataframe"],
    __GFSDK_CLI_VERSION__: versions["@gfsdk/cli"],
    __GFSDK_IN_PROCESS_VERSION__: versions["@gfsdk/in-process"],
  };
  const placeholders = new RegExp(Object.keys(values).join("|"), "g");

  const written: string[] = [];
  for (const layer of ["common", type]) {
    const layerDir = join(templatesDir, layer);
    for (const file of await listFiles(layerDir)) {
      const text = await readFile(join(layerDir, file), "utf8");
      const target = targetPath(file);
      const destination = join(directory, target);
      await mkdir(dirname(destination), { recursive: true });
      await writeFile(
        destination,
        text.replace(placeholders, (key) => values[key]!),
      );
      written.push(target);
    }
  }
  return { directory, files: written.sort() };
}
