import { existsSync } from "node:fs";
import { readFile, realpath, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runDev } from "./run-dev.js";
import { createFixtureProject, type FixtureProject, fixtureMain } from "./testing/fixture-project.js";

/** Resolves once `check` returns a value, checking every 50 ms; rejects after `ms`. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const readIfExists = async (file: string) =>
  existsSync(file) ? (await readFile(file, "utf8")).trim() || undefined : undefined;

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
      const firstPid = await waitFor("pid.txt", () => readIfExists(join(dist, "pid.txt")));
      expect(firstPid).toBe(String(session.child?.pid));
      expect(await readIfExists(join(dist, "standalone.txt"))).toMatch(/^(127\.0\.0\.1)?:\d+$/);

      await writeFile(
        join(project.dir, "src/main.ts"),
        `console.error("started: v2");\n${fixtureMain("v2")}`,
      );
      const secondPid = await waitFor("a new pid.txt", async () => {
        const pid = await readIfExists(join(dist, "pid.txt"));
        return pid !== undefined && pid !== firstPid ? pid : undefined;
      });
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
    await waitFor("standalone.txt removed", () =>
      existsSync(join(dist, "standalone.txt")) ? undefined : true,
    );
  }, 300_000);
});
