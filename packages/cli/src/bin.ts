// The gfsdk command (bin/gfsdk.js runs it).
import { Command, InvalidArgumentError } from "commander";
import { buildPlugin } from "./build-plugin.js";
import { parseBuildTargets } from "./build-target.js";
import { assertSupportedNode } from "./node-requirement.js";
import { seaNodeVersion } from "./node-runtime.js";
import { runDev } from "./run-dev.js";

const log = (line: string) => console.error(line);

function targetsOption(value: string) {
  try {
    return parseBuildTargets(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const program = new Command("gfsdk")
  .description("Build and run Grafana backend plugins written in TypeScript with gfsdk.")
  .showHelpAfterError();

program
  .command("build")
  .description(
    `bundle the plugin and write one self-contained executable per platform (Node.js ${seaNodeVersion} inside) and plugin.json`,
  )
  .option(
    "-t, --target <targets>",
    "comma-separated: linux-amd64, linux-arm64, darwin-amd64, darwin-arm64, windows-amd64, windows-arm64 (default: all)",
    targetsOption,
  )
  .option("-o, --out-dir <dir>", "where the executables and plugin.json go", "dist")
  .option("-e, --entry <file>", "the module that calls serve()", "src/main.ts")
  .option(
    "--node-version <version>",
    "the Node.js inside the executables (≥ 25.5, published on npm for every target)",
    seaNodeVersion,
  )
  .action(
    async (opts: {
      target?: ReturnType<typeof parseBuildTargets>;
      outDir: string;
      entry: string;
      nodeVersion: string;
    }) => {
      const result = await buildPlugin({
        targets: opts.target,
        outDir: opts.outDir,
        entry: opts.entry,
        nodeVersion: opts.nodeVersion,
        log,
      });
      log(`built ${result.executables.length} executable(s) of ${result.manifest.id}`);
    },
  );

program
  .command("dev")
  .description(
    "build for this machine, run the plugin in standalone mode for a running Grafana, and rebuild and restart it on change",
  )
  .option("-e, --entry <file>", "the module that calls serve()", "src/main.ts")
  .option("-o, --out-dir <dir>", "where the executable and plugin.json go", "dist")
  .option(
    "--inspect [host:port]",
    "open Node's debugger (default 127.0.0.1:9229); source maps point at the TypeScript",
  )
  .action(async (opts: { entry: string; outDir: string; inspect?: boolean | string }) => {
    const session = await runDev({ entry: opts.entry, outDir: opts.outDir, inspect: opts.inspect, log });
    const stop = () => {
      void session.stop().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

try {
  assertSupportedNode();
  await program.parseAsync();
} catch (error) {
  console.error(`gfsdk: ${(error as Error).message}`);
  process.exitCode = 1;
}
