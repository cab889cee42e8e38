import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The repository root, from this file's place in it. */
export const repoRoot = resolve(import.meta.dirname, "../../../..");

/** A throwaway plugin project outside the repository, resolving packages from the workspace. */
export interface FixtureProject {
  dir: string;
  remove(): Promise<void>;
}

/** The fixture's plugin: CheckHealth answers with `message`. */
export function fixtureMain(message: string): string {
  return `import { definePlugin, HealthStatus } from "@gfsdk/core";
import { serve } from "@gfsdk/grpc";
const plugin = definePlugin({ checkHealth: () => ({ status: HealthStatus.OK, message: ${JSON.stringify(message)} }) });
await serve(plugin, { pluginId: "fixture-test-datasource" });
`;
}

/**
 * Writes a minimal datasource project (package.json 1.2.3, src/plugin.json, src/main.ts) in a
 * temp dir, with `node_modules` linked to the workspace's so `@gfsdk/*` resolve to their builds.
 */
export async function createFixtureProject(plugin: Record<string, unknown> = {}): Promise<FixtureProject> {
  const dir = await mkdtemp(join(tmpdir(), "gfsdk-cli-fixture-"));
  await mkdir(join(dir, "src"));
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "fixture", version: "1.2.3", type: "module" }),
  );
  await writeFile(
    join(dir, "src/plugin.json"),
    JSON.stringify({
      type: "datasource",
      name: "Fixture",
      id: "fixture-test-datasource",
      backend: true,
      executable: "gpx_fixture",
      info: { version: "%VERSION%", updated: "%TODAY%" },
      ...plugin,
    }),
  );
  await writeFile(join(dir, "src/main.ts"), fixtureMain("fixture is working"));
  await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
