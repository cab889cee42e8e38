import { relative } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { createPlugin } from "./create-plugin.js";
import { CreatePluginError } from "./create-plugin-error.js";
import type { Prompter } from "./prompter.js";
import { type CreateFlags, resolveCreateOptions } from "./resolve-create-options.js";
import { pluginTypes } from "./validate-plugin-id.js";

/** Where the command line reads and writes; the bin passes the process's, tests their own. */
export interface CliIo {
  /** The directory `[directory]` is relative to. */
  cwd: string;
  /** Asks for missing flags; leave it out when stdin is not a terminal. */
  prompter?: Prompter;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * Runs `create-plugin [directory] [--type datasource|app] [--id <id>] [--name <name>] [--yes]` and
 * returns the exit code: 0 when the project was written, 1 for a usage error (printed to `stderr`).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = new Command()
    .name("create-plugin")
    .description("Create a Grafana backend plugin written in TypeScript with gfsdk.")
    .argument("[directory]", "where to write the project (default: the plugin id)")
    .addOption(new Option("-t, --type <type>", "the kind of plugin").choices(pluginTypes))
    .option("--id <id>", "the plugin id, <org>-<name>-<type>, e.g. myorg-ramp-datasource")
    .option("--name <name>", "the name Grafana shows (default: from the id)")
    .option("-y, --yes", "take the default for everything not given, without asking")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    // Commander already printed the problem (or the help).
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  const opts = program.opts<Omit<CreateFlags, "directory">>();
  const flags: CreateFlags = { ...opts, directory: program.args[0] };

  try {
    const options = await resolveCreateOptions(flags, { cwd: io.cwd, prompter: io.prompter });
    const created = await createPlugin(options);
    const where = relative(io.cwd, created.directory) || ".";
    io.stdout(
      [
        `Created the ${options.type} plugin ${options.id} in ${created.directory}.`,
        "",
        "Next:",
        ...(where === "." ? [] : [`  cd ${where.includes(" ") ? JSON.stringify(where) : where}`]),
        "  npm install",
        "  npm test",
        "  npm run build     # dist/: plugin.json and an executable for every platform",
        "",
        "README.md says how to run it in Grafana.",
        "",
      ].join("\n"),
    );
    return 0;
  } catch (error) {
    if (error instanceof CreatePluginError) {
      io.stderr(`create-plugin: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
