// Fails when regenerating packages/core/src/gen from proto/ would change anything.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const committed = join(root, "packages/core/src/gen");
const out = mkdtempSync(join(tmpdir(), "gfsdk-gen-"));

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

try {
  execFileSync(join(root, "node_modules/.bin/buf"), ["generate", "-o", out], { cwd: root, stdio: "inherit" });
  const fresh = join(out, "packages/core/src/gen");
  const want = files(fresh);
  const have = files(committed);
  const problems: string[] = [];
  for (const f of new Set([...want, ...have])) {
    if (!want.includes(f)) problems.push(`${f}: committed but not generated`);
    else if (!have.includes(f)) problems.push(`${f}: generated but not committed`);
    else if (!readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f))))
      problems.push(`${f}: differs`);
  }
  if (problems.length > 0) {
    console.error(
      `generated code is stale; run \`npm run generate\` and commit:\n  ${problems.join("\n  ")}`,
    );
    process.exit(1);
  }
  console.log(`generated code is up to date (${want.length} files)`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
