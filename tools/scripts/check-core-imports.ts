// Fails when @gfsdk/core imports a transport: it must stay transport-agnostic.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const src = join(root, "packages/core/src");
const forbidden = [
  /^(node:)?net$/,
  /^(node:)?http$/,
  /^(node:)?http2$/,
  /^(node:)?https$/,
  /^(node:)?tls$/,
  /^(node:)?dgram$/,
  /^@grpc\//,
  /^@connectrpc\/connect-(node|web|fastify|express|next)/,
];
const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g;

const problems: string[] = [];
let checked = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
  const file = join(entry.parentPath, entry.name);
  checked++;
  for (const match of readFileSync(file, "utf8").matchAll(importPattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? "";
    if (forbidden.some((re) => re.test(specifier)))
      problems.push(`${file.slice(root.length + 1)} imports ${specifier}`);
  }
}
const manifest = JSON.parse(readFileSync(join(src, "../package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
};
for (const dep of Object.keys(manifest.dependencies ?? {})) {
  if (forbidden.some((re) => re.test(dep))) problems.push(`packages/core/package.json depends on ${dep}`);
}
if (checked === 0) problems.push("no core sources found");
if (problems.length > 0) {
  console.error(`@gfsdk/core must not import a transport:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`@gfsdk/core imports no transport (${checked} files checked)`);
