import { type BuildOptions, build, context } from "esbuild";

/** Options of {@link bundlePlugin}. */
export interface BundlePluginOptions {
  /** The plugin's main module, which calls `serve()`. */
  entry: string;
  /** The single ES module file to write. */
  outfile: string;
  /** The project directory: module paths that esbuild writes into the bundle are relative to it. Default the working directory. */
  projectDir?: string;
  /** For `gfsdk dev`: unminified, with a linked source map so breakpoints land in the TypeScript. Default false. */
  debug?: boolean;
  /** Extra export conditions to resolve packages with (esbuild `conditions`). Default none. */
  conditions?: string[];
}

/** esbuild's options for a plugin bundle that Node.js runs as one ES module. */
export function bundleOptions(options: BundlePluginOptions): BuildOptions {
  const debug = options.debug ?? false;
  return {
    entryPoints: [options.entry],
    outfile: options.outfile,
    // CommonJS modules are keyed by their path in the bundle: relative to the project, never to
    // wherever the build was started from.
    absWorkingDir: options.projectDir ?? process.cwd(),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    conditions: options.conditions ?? [],
    // ES module builds first: they tree-shake, and CommonJS ones lose named exports.
    mainFields: ["module", "main"],
    // CommonJS dependencies (grpc-js) call `require` for Node's built-ins: give the ES module one.
    banner: {
      js: "import { createRequire as __gfsdkCreateRequire } from 'node:module'; const require = __gfsdkCreateRequire(import.meta.url);",
    },
    // Less to parse at start-up; identifiers are kept for readable stack traces.
    minifyWhitespace: !debug,
    minifySyntax: !debug,
    sourcemap: debug ? "linked" : false,
    // The licences of bundled code travel inside the executable.
    legalComments: "eof",
    logLevel: "silent",
  };
}

/** Bundles the plugin's entry and everything it imports into one ES module file. */
export async function bundlePlugin(options: BundlePluginOptions): Promise<void> {
  try {
    await build(bundleOptions(options));
  } catch (error) {
    throw new Error(`bundling ${options.entry} failed: ${(error as Error).message}`);
  }
}

/** An esbuild context that rebuilds the bundle on every change; `onEnd` runs after each build. */
export async function watchPlugin(
  options: BundlePluginOptions,
  onEnd: (errors: string[]) => void,
): Promise<{ dispose(): Promise<void> }> {
  const ctx = await context({
    ...bundleOptions({ ...options, debug: true }),
    plugins: [
      {
        name: "gfsdk-dev",
        setup(build) {
          build.onEnd((result) => onEnd(result.errors.map((error) => error.text)));
        },
      },
    ],
  });
  await ctx.watch();
  return ctx;
}
