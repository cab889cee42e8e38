import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const src = import.meta.dirname;
// Value imports and re-exports; `import type` is erased, and `import()` is lazy.
const staticImport =
  /^(?:import|export)\s+(?!type\s)[^'"]*?from\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;

/** Every package a module and the modules it imports statically import, following relative imports. */
function staticPackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(staticImport)) {
      const specifier = match[1] ?? match[2] ?? "";
      if (specifier.startsWith(".")) visit(join(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return packages;
}

describe("startTracing", () => {
  it("is the only way to the OpenTelemetry SDK, through a dynamic import: serving without tracing loads none of it", () => {
    const fromIndex = [...staticPackages(join(src, "index.ts"))];
    expect(fromIndex).toContain("@grpc/grpc-js");
    expect(fromIndex.filter((p) => p.startsWith("@opentelemetry/"))).toEqual([]);
    const lazy = [...staticPackages(join(src, "otel-call-tracer.ts"))];
    expect(lazy).toContain("@opentelemetry/sdk-trace");
    expect(readFileSync(join(src, "start-tracing.ts"), "utf8")).toContain(
      'await import("./otel-call-tracer.js")',
    );
  });
});
