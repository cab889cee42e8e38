import { basename, resolve } from "node:path";
import type { CreatePluginOptions } from "./create-plugin.js";
import { CreatePluginError } from "./create-plugin-error.js";
import { defaultPluginName } from "./default-plugin-name.js";
import type { Prompter } from "./prompter.js";
import { type PluginType, pluginTypes, validatePluginId } from "./validate-plugin-id.js";

/** What was given on the command line. */
export interface CreateFlags {
  /** The `[directory]` argument. */
  directory?: string;
  /** `--type`: `datasource` or `app`. */
  type?: string;
  /** `--id`: the plugin id. */
  id?: string;
  /** `--name`: the name Grafana shows. */
  name?: string;
  /** Take the default for everything not given, without asking. */
  yes?: boolean;
}

/** How {@link resolveCreateOptions} may ask for what is missing. */
export interface ResolveContext {
  /** The directory `[directory]` is relative to. */
  cwd: string;
  /** Asks for what is missing; without one (stdin is not a terminal), missing flags are errors. */
  prompter?: Prompter;
}

const typeChoices = [
  { value: "datasource", name: "datasource: queries, a health check, resources" },
  { value: "app", name: "app: pages and resources of its own" },
] as const;

/**
 * The id to suggest: the directory's name when it is a valid id, else `myorg-<directory name>-<type>`
 * (`myorg-myplugin-<type>` without a directory).
 */
function suggestedId(directory: string | undefined, type: PluginType): string {
  const base = directory === undefined ? "" : basename(resolve(directory)).toLowerCase();
  if (validatePluginId(base, type) === undefined) return base;
  const word = base.replace(/-?(datasource|app|panel)$/, "").replace(/[^0-9a-z]/g, "");
  return `myorg-${word || "myplugin"}-${type}`;
}

function checkType(type: string): PluginType {
  if (!(pluginTypes as readonly string[]).includes(type)) {
    throw new CreatePluginError(
      `unknown --type ${JSON.stringify(type)}; choose one of ${pluginTypes.join(", ")}`,
    );
  }
  return type as PluginType;
}

/**
 * Completes the command line's flags into {@link CreatePluginOptions}: asks for what is missing when
 * a prompter is given, takes defaults with `--yes`, and otherwise throws a {@link CreatePluginError}
 * that names every missing flag.
 */
export async function resolveCreateOptions(
  flags: CreateFlags,
  context: ResolveContext,
): Promise<CreatePluginOptions> {
  const ask = flags.yes ? undefined : context.prompter;
  if (ask === undefined && !flags.yes) {
    const missing = [
      flags.type === undefined && "--type <datasource|app>",
      flags.id === undefined && "--id <plugin id>",
    ];
    const names = missing.filter((m): m is string => m !== false);
    if (names.length > 0) {
      throw new CreatePluginError(
        `missing ${names.join(" and ")}: stdin is not a terminal, so create-plugin cannot ask; pass ${names.length > 1 ? "them" : "it"}, or --yes for the defaults (e.g. --type datasource --id myorg-ramp-datasource)`,
      );
    }
  }

  const type = checkType(
    flags.type ?? (ask ? await ask.select("What kind of plugin?", typeChoices, "datasource") : "datasource"),
  );

  let id = flags.id;
  if (id === undefined) {
    const suggestion = suggestedId(flags.directory, type);
    id = ask
      ? await ask.input("Plugin id", suggestion, (value) => validatePluginId(value, type))
      : suggestion;
  }
  const idError = validatePluginId(id, type);
  if (idError !== undefined) throw new CreatePluginError(idError);

  const name =
    flags.name ??
    (ask ? await ask.input("Name shown in Grafana", defaultPluginName(id)) : defaultPluginName(id));
  const directory =
    flags.directory ??
    (ask
      ? await ask.input("Directory", id, (value) => (value === "" ? "the directory is empty" : undefined))
      : id);
  return { type, id, name, directory: resolve(context.cwd, directory) };
}
