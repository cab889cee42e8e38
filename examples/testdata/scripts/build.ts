// Builds dist/: plugin.json and the executable Grafana launches, gpx_testdata_<os>_<arch>.
// The executable is a launcher script that runs the bundled plugin on the Node.js this repository
// pins (an absolute path), so it works with Grafana's environment, where PATH may be empty.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type BuildOptions, build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
const pluginJson = JSON.parse(readFileSync(join(root, "plugin.json"), "utf8")) as {
  executable: string;
  info: { version: string; updated: string };
};

const goos: Record<string, string> = {
  linux: "linux",
  darwin: "darwin",
  win32: "windows",
  freebsd: "freebsd",
};
const goarch: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386" };
const os = goos[process.platform] ?? process.platform;
const arch = goarch[process.arch] ?? process.arch;
if (os === "windows")
  throw new Error("the launcher build is for unix; Windows executables come with the packaging issue");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const bundle = `${pluginJson.executable}.mjs`;
const common: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  // Workspace packages are bundled from their TypeScript sources.
  conditions: ["@gfsdk/source"],
  // ES module builds first: they tree-shake, and CommonJS ones lose named exports across a split.
  mainFields: ["module", "main"],
  // grpc-js is CommonJS: give the ESM bundle a `require` for the Node built-ins it loads.
  banner: {
    js: "import { createRequire as __gfsdkCreateRequire } from 'node:module'; const require = __gfsdkCreateRequire(import.meta.url);",
  },
  sourcemap: "linked",
  // Less to parse at start-up; names are kept for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "linked",
  logLevel: "warning",
};
// Splitting keeps code loaded only on demand (AutoMTLS's certificate library) out of the start-up path.
await build({
  ...common,
  entryPoints: {
    [pluginJson.executable]: join(root, "src/main.ts"),
    // The same plugin over HTTP with Connect, for curl: node dist/connect-server.mjs --port 8080
    "connect-server": join(root, "src/connect-main.ts"),
  },
  outdir: dist,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
});

const executable = `${pluginJson.executable}_${os}_${arch}`;
const launcher = `#!/bin/sh
# ${executable}: runs the bundled gfsdk plugin ${bundle} on Node.js ${process.version}.
here=$(dirname -- "$(readlink -f -- "$0")")
# V8's code cache, made at build time: it saves compiling the bundle at each start.
export NODE_COMPILE_CACHE="\${NODE_COMPILE_CACHE:-$here/.compile-cache}"
exec "${process.execPath}" "$here/${bundle}" "$@"
`;
writeFileSync(join(dist, executable), launcher, { mode: 0o755 });
chmodSync(join(dist, executable), 0o755);

// Fill the code cache: a run without the go-plugin environment loads the bundle, refuses and exits.
const warm = spawnSync(process.execPath, [join(dist, bundle)], {
  env: { ...process.env, NODE_COMPILE_CACHE: join(dist, ".compile-cache"), grafana_plugin_type: "" },
  stdio: "ignore",
});
if (warm.status !== 1)
  throw new Error(`warming the code cache: the plugin exited with ${warm.status}, expected 1`);

pluginJson.info.version = manifest.version;
pluginJson.info.updated = new Date().toISOString().slice(0, 10);
writeFileSync(join(dist, "plugin.json"), `${JSON.stringify(pluginJson, null, 2)}\n`);
console.log(`built ${join("dist", executable)} and dist/plugin.json`);
