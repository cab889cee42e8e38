// Builds dist/connect-server.mjs: testdata over HTTP with Connect, for curl and browsers
// (`node dist/connect-server.mjs --port 8080`). The executables Grafana runs come from `gfsdk build`.
import { join, resolve } from "node:path";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
await build({
  entryPoints: [join(root, "src/connect-main.ts")],
  outfile: join(root, "dist/connect-server.mjs"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  mainFields: ["module", "main"],
  // CommonJS dependencies call `require` for Node's built-ins: give the ES module one.
  banner: {
    js: "import { createRequire as __gfsdkCreateRequire } from 'node:module'; const require = __gfsdkCreateRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
console.error("dist/connect-server.mjs");
