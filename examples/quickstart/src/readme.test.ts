import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The root README's quick start is this project: each of its TypeScript blocks that starts with a
// `// src/<file>` line must be that file, byte for byte, so the README cannot show code that does
// not build or pass its test.
const root = resolve(import.meta.dirname, "..");
const readme = readFileSync(resolve(root, "../../README.md"), "utf8");

/** The README's ```ts blocks whose first line names a file of src/, as [file, body]. */
function quickStartBlocks(markdown: string): [string, string][] {
  const blocks: [string, string][] = [];
  for (const match of markdown.matchAll(/```ts\n\/\/ (src\/[\w.-]+)(?::[^\n]*)?\n([\s\S]*?)```/g)) {
    blocks.push([match[1]!, match[2]!]);
  }
  return blocks;
}

describe("the root README's quick start", () => {
  const blocks = quickStartBlocks(readme);

  it("shows the plugin, its entry and its test", () => {
    expect(blocks.map(([file]) => file)).toEqual(["src/plugin.ts", "src/main.ts", "src/plugin.test.ts"]);
  });

  it.each(blocks)("shows %s as it is in examples/quickstart", (file, body) => {
    expect(body).toBe(readFileSync(join(root, file), "utf8"));
  });
});
