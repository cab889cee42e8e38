import { access, copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildGoCommand } from "../../interop/src/go-tool.js";
import { createChildEnv } from "./child-env.js";
import { createCommandRunner } from "./command-runner.js";
import { type LocalRegistry, startLocalRegistry } from "./local-registry.js";
import { createStepLog } from "./step-log.js";
import { findUnbuilt, listPublishedPackages } from "./workspace-packages.js";

const repoRoot = resolve(import.meta.dirname, "../../..");

/** The repository's pinned Node (the `node` dev dependency); the system Node may be older. */
const pinnedNode = join(repoRoot, "node_modules", "node", "bin", "node");

/** Every package a plugin author installs or runs; the test fails if one is not published. */
const expectedPackages = [
  "@gfsdk/cli",
  "@gfsdk/connect",
  "@gfsdk/core",
  "@gfsdk/create-plugin",
  "@gfsdk/dataframe",
  "@gfsdk/grpc",
  "@gfsdk/in-process",
];

const pluginId = "e2e-ramp-datasource";

const minute = 60_000;

/** The `--json` report of tools/interop's smoke command. */
interface SmokeReport {
  ok: boolean;
  pluginId: string;
  handshake?: { protocolVersion: number; pid: number; ms: number };
  health?: { status: string; message: string };
  frames: { name: string; fields: { name: string; type: string }[]; rows: number }[];
  pluginEnv?: string[];
  stop?: { ms: number; exitCode: number };
  error?: string;
}

/** A pattern for strings that start with `base` + "/". */
function startsAt(base: string): RegExp {
  return new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`);
}

/** Removes terminal colour codes (vitest colours its summary when it thinks it may). */
function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC is the point
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

/** One entry of package-lock.json's `packages`. */
interface LockEntry {
  version?: string;
  resolved?: string;
}

describe("the packages published to a local registry", () => {
  const runner = createCommandRunner();
  const steps = createStepLog("registry-e2e");
  const tempDirs: string[] = [];
  let registry: LocalRegistry | undefined;

  async function makeTempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    tempDirs.push(dir);
    return dir;
  }

  afterAll(async () => {
    // Also after a failure or a timeout: nothing started here outlives the test.
    await runner.stopAll();
    await registry?.stop();
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    process.stderr.write(steps.summary());
  }, minute);

  it(
    "scaffold a plugin that installs, tests and builds as generated, and runs in Grafana's host",
    async () => {
      const published = await steps.step("check the built packages", async () => {
        const packages = await listPublishedPackages(repoRoot);
        expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(expectedPackages));
        const missing = await findUnbuilt(packages);
        if (missing.length > 0) {
          throw new Error(`not built (run \`npm run build\` first): ${missing.join(", ")}`);
        }
        return packages;
      });
      const version = (name: string) => published.find((p) => p.name === name)!.version;

      await steps.step("check the toolchain", async () => {
        if (process.platform !== "linux" || process.arch !== "x64") {
          throw new Error(
            `this test builds and runs a linux-amd64 executable; this is ${process.platform}-${process.arch}`,
          );
        }
        await access(pinnedNode).catch(() => {
          throw new Error(`the repository's pinned Node is missing (${pinnedNode}): run \`npm ci\``);
        });
        const env = createChildEnv({ pathPrepend: [dirname(pinnedNode)] });
        const node = await runner.run("node", ["--version"], { cwd: repoRoot, env, timeoutMs: minute });
        const npm = await runner.run("npm", ["--version"], { cwd: repoRoot, env, timeoutMs: minute });
        process.stderr.write(`[registry-e2e] node ${node.stdout.trim()}, npm ${npm.stdout.trim()}\n`);
        // npm's scripts run on the first node on PATH: the generated project needs >= 22.12.
        const [major = 0, minor = 0] = node.stdout.trim().slice(1).split(".").map(Number);
        expect(major > 22 || (major === 22 && minor >= 12), `node ${node.stdout.trim()} >= 22.12`).toBe(true);
      });

      registry = await steps.step("start the local registry", () => startLocalRegistry());
      const { url, authLine } = registry;
      const configDir = await makeTempDir("gfsdk-e2e-config-");

      await steps.step("publish with nx release publish", async () => {
        const userconfig = join(configDir, "publish.npmrc");
        // `registry=` too, so that nothing run here can ever publish to the public registry, whatever
        // the release tooling does with --registry.
        await writeFile(userconfig, `registry=${url}/\n${authLine}\n`);
        const nxBin = join(repoRoot, "node_modules", ".bin", "nx");
        // Without its task dependencies (build, generate): the packages were built before vitest
        // started (checked above), and Nx without its daemon restores every output from its cache
        // even when it is unchanged, rewriting packages/*/dist and packages/core/src/gen while the
        // other test projects read them.
        const args = ["release", "publish", "--registry", url, "--exclude-task-dependencies"];
        await runner.run(nxBin, args, {
          cwd: repoRoot,
          env: createChildEnv({
            pathPrepend: [dirname(pinnedNode)],
            set: {
              NPM_CONFIG_USERCONFIG: userconfig,
              NX_DAEMON: "false",
              NX_NO_CLOUD: "true",
              NX_TUI: "false",
            },
          }),
          timeoutMs: 5 * minute,
        });
        for (const p of published) {
          const response = await fetch(`${url}/${p.name.replace("/", "%2f")}`);
          expect(response.status, `GET ${p.name} from the local registry`).toBe(200);
          const packument = (await response.json()) as {
            versions?: Record<string, { dist?: { tarball?: string } }>;
          };
          expect(packument.versions?.[p.version]?.dist?.tarball, `${p.name}@${p.version}`).toMatch(
            startsAt(url),
          );
        }
      });

      // Only @gfsdk comes from the local registry; everything else from the usual one. The user's
      // npm cache is reused (tarballs are looked up by integrity, so a stale one cannot be picked),
      // except by `npm create`: npm exec reuses the install it made for the same spec in
      // <cache>/_npx, which would be a create-plugin from an earlier run with the same version.
      const userconfig = join(configDir, "scaffold.npmrc");
      await writeFile(
        userconfig,
        [
          `@gfsdk:registry=${url}/`,
          authLine,
          // The provenance check below reads `resolved`; a user's or global config may omit it.
          "omit-lockfile-registry-resolved=false",
          "",
        ].join("\n"),
      );
      const scaffoldEnv = createChildEnv({
        pathPrepend: [dirname(pinnedNode)],
        set: {
          NPM_CONFIG_USERCONFIG: userconfig,
          npm_config_audit: "false",
          npm_config_fund: "false",
          npm_config_update_notifier: "false",
        },
      });
      const scaffoldDir = await makeTempDir("gfsdk-e2e-scaffold-");
      expect(scaffoldDir.startsWith(repoRoot + sep), `${scaffoldDir} is inside the repository`).toBe(false);
      const project = join(scaffoldDir, "my-plugin");

      await steps.step("npm create @gfsdk/plugin", async () => {
        const spec = `@gfsdk/plugin@${version("@gfsdk/create-plugin")}`;
        const args = ["create", spec, "--", "my-plugin", "--type", "datasource", "--id", pluginId];
        const created = await runner.run("npm", [...args, "--name", "E2E Ramp", "--yes"], {
          cwd: scaffoldDir,
          env: { ...scaffoldEnv, npm_config_cache: join(configDir, "npm-cache"), npm_config_yes: "true" },
          timeoutMs: 3 * minute,
        });
        expect(created.stdout).toContain(`Created the datasource plugin ${pluginId}`);
        const manifest = JSON.parse(await readFile(join(project, "package.json"), "utf8")) as {
          name?: string;
        };
        expect(manifest.name).toBe(pluginId);
      });

      await steps.step("npm install", () =>
        runner.run("npm", ["install"], { cwd: project, env: scaffoldEnv, timeoutMs: 5 * minute }),
      );

      await steps.step("check where @gfsdk came from", async () => {
        const lock = JSON.parse(await readFile(join(project, "package-lock.json"), "utf8")) as {
          packages: Record<string, LockEntry>;
        };
        const gfsdk = Object.entries(lock.packages).filter(([path]) =>
          /(^|\/)node_modules\/@gfsdk\//.test(path),
        );
        const installed = new Set(gfsdk.map(([path]) => path.slice(path.lastIndexOf("@gfsdk/"))));
        for (const name of [
          "@gfsdk/core",
          "@gfsdk/grpc",
          "@gfsdk/dataframe",
          "@gfsdk/cli",
          "@gfsdk/in-process",
        ]) {
          expect(installed.has(name), `${name} installed`).toBe(true);
        }
        for (const [path, entry] of gfsdk) {
          const name = path.slice(path.lastIndexOf("@gfsdk/"));
          expect(entry.resolved, `${path} resolved`).toMatch(startsAt(url));
          expect(entry.version, `${path} version`).toBe(version(name));
        }
        // And the content is this working tree's build, not an older one of the same version.
        for (const name of installed) {
          const source = published.find((p) => p.name === name)!;
          const built = await readFile(join(source.dir, "dist", "index.js"), "utf8").catch(() => undefined);
          if (built === undefined) continue;
          expect(await readFile(join(project, "node_modules", name, "dist", "index.js"), "utf8"), name).toBe(
            built,
          );
        }
      });

      await steps.step("npm test", async () => {
        const tested = await runner.run("npm", ["test"], {
          cwd: project,
          env: scaffoldEnv,
          timeoutMs: 3 * minute,
        });
        // The generated tests ran (vitest's summary line), not merely a script that exits 0.
        expect(stripAnsi(tested.stdout)).toMatch(/Tests\s+\d+ passed/);
      });

      // GFSDK_CACHE_DIR (if set) passes through, and HOME too: the Node download cache is the one the
      // repository's own builds use.
      await steps.step("npx gfsdk build --target linux-amd64", () =>
        runner.run("npx", ["gfsdk", "build", "--target", "linux-amd64"], {
          cwd: project,
          env: scaffoldEnv,
          timeoutMs: 5 * minute,
        }),
      );

      const runDir = await makeTempDir("gfsdk-e2e-run-");
      const executable = await steps.step("copy the executable and plugin.json", async () => {
        const manifest = JSON.parse(await readFile(join(project, "dist", "plugin.json"), "utf8")) as {
          id?: string;
          executable?: string;
        };
        expect(manifest.id).toBe(pluginId);
        expect(manifest.executable).toMatch(/^gpx_/);
        const name = `${manifest.executable}_linux_amd64`;
        await copyFile(join(project, "dist", name), join(runDir, name));
        await copyFile(join(project, "dist", "plugin.json"), join(runDir, "plugin.json"));
        return join(runDir, name);
      });

      const smoke = await steps.step("build the Go smoke command", () =>
        buildGoCommand("smoke", "smoke-registry-e2e"),
      );

      await steps.step("run the executable under Grafana's plugin host", async () => {
        // No environment at all: the smoke command itself passes the plugin only Grafana's and
        // go-plugin's variables, and it is started here with none to inherit.
        const result = await runner.run(smoke, ["--plugin", executable, "--query-json", "{}", "--json"], {
          cwd: runDir,
          env: {},
          timeoutMs: 2 * minute,
          allowFailure: true,
        });
        let report: SmokeReport;
        try {
          report = JSON.parse(result.stdout) as SmokeReport;
        } catch {
          throw new Error(
            `smoke printed no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
          );
        }
        expect(report, result.stderr).toMatchObject({ ok: true, pluginId, health: { status: "OK" } });
        expect(result.code).toBe(0);
        expect(report.handshake?.protocolVersion).toBe(2);
        expect(report.frames).toHaveLength(1);
        expect(report.frames[0]!.fields.map((f) => f.type)).toEqual(["time.Time", "float64"]);
        expect(report.frames[0]!.rows).toBeGreaterThan(0);
        // The plugin's environment as /proc shows it: go-plugin's cookie, nothing of the machine's.
        expect(report.pluginEnv).toContain("grafana_plugin_type");
        expect(report.pluginEnv).not.toContain("PATH");
        expect(report.pluginEnv).not.toContain("HOME");
        expect(report.stop?.exitCode).toBe(0);
      });
    },
    15 * minute,
  );
});
