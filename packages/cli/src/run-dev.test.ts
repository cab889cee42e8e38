import { existsSync } from "node:fs";
import { readFile, realpath, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { waitFor } from "@gfsdk/grpc/testing";
import { afterAll, describe, expect, it } from "vitest";
import { runDev } from "./run-dev.js";
import { createFixtureProject, type FixtureProject, fixtureMain } from "./testing/fixture-project.js";

/**
 * The trimmed text of `file`, undefined when it is empty or absent. ENOENT is caught, not checked
 * first: the plugin being restarted removes its files while the test polls them.
 */
const readIfExists = async (file: string): Promise<string | undefined> => {
  try {
    return (await readFile(file, "utf8")).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
};

describe("runDev", () => {
  let project: FixtureProject | undefined;
  afterAll(() => project?.remove());

  it("serves the plugin in standalone mode, and rebuilds and restarts it on change", async () => {
    project = await createFixtureProject();
    const dist = join(project.dir, "dist");
    // The fixture prints its health message on start, so the test sees which build runs.
    await writeFile(join(project.dir, "src/main.ts"), `console.error("started: v1");\n${fixtureMain("v1")}`);
    const session = await runDev({ projectDir: project.dir, stdio: "pipe" });
    try {
      expect(existsSync(join(dist, "gpx_fixture_linux_amd64")) || process.platform !== "linux").toBe(true);
      let firstPid: string | undefined;
      await waitFor(
        async () => {
          firstPid = await readIfExists(join(dist, "pid.txt"));
          return firstPid !== undefined;
        },
        "pid.txt",
        60_000,
      );
      expect(firstPid).toBe(String(session.child?.pid));
      expect(await readIfExists(join(dist, "standalone.txt"))).toMatch(/^(127\.0\.0\.1)?:\d+$/);

      await writeFile(
        join(project.dir, "src/main.ts"),
        `console.error("started: v2");\n${fixtureMain("v2")}`,
      );
      let secondPid: string | undefined;
      await waitFor(
        async () => {
          secondPid = await readIfExists(join(dist, "pid.txt"));
          return secondPid !== undefined && secondPid !== firstPid;
        },
        "a new pid.txt",
        60_000,
      );
      expect(session.starts).toBe(2);
      expect(secondPid).toBe(String(session.child?.pid));
      // The running bundle is the new one.
      const bundle = await readFile(session.bundle, "utf8");
      expect(bundle).toContain("started: v2");
      expect(bundle).toMatch(/\/\/# sourceMappingURL=gpx_fixture\.mjs\.map/);
      // Its source map leads a debugger to the TypeScript file the author edits.
      const map = JSON.parse(await readFile(`${session.bundle}.map`, "utf8")) as { sources: string[] };
      const sources = map.sources.map((source) => resolve(dirname(session.bundle), source));
      expect(sources).toContain(join(await realpath(project.dir), "src/main.ts"));
    } finally {
      await session.stop();
    }
    // Stopped with SIGTERM, the standalone server removed its files, so Grafana launches normally.
    await waitFor(() => !existsSync(join(dist, "standalone.txt")), "standalone.txt removed", 60_000);
  }, 300_000);
});
