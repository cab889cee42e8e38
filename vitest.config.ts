import { defineConfig } from "vitest/config";

/** Workspace packages resolve to their TypeScript sources in tests (see the exports maps). */
const sourceCondition = "@gfsdk/source";

/** The test projects, one per workspace package that has tests. */
const projects = [
  "packages/core",
  "packages/conformance",
  "packages/dataframe",
  "packages/in-process",
  "packages/testing",
  "packages/connect",
  "packages/grpc",
  "examples/testdata",
  "examples/sqlite-datasource",
  "examples/app",
  "examples/quickstart",
  "tools/interop",
  "packages/cli",
  "packages/create-plugin",
  "tools/registry-e2e",
];

export default defineConfig({
  resolve: { conditions: [sourceCondition, "module", "node", "default"] },
  ssr: {
    resolve: { conditions: [sourceCondition, "node", "default"], externalConditions: [sourceCondition] },
  },
  test: {
    projects: projects.map((root) => ({
      extends: true,
      test: { name: root.split("/").pop(), root, include: ["src/**/*.test.ts"], testTimeout: 30_000 },
    })),
  },
});
