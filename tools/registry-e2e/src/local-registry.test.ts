import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChildEnv } from "./child-env.js";
import { createCommandRunner } from "./command-runner.js";
import { type LocalRegistry, startLocalRegistry } from "./local-registry.js";

const repoRoot = resolve(import.meta.dirname, "../../..");
const pinnedNodeDir = join(repoRoot, "node_modules", "node", "bin");

describe("startLocalRegistry", () => {
  const runner = createCommandRunner();
  let registry: LocalRegistry;
  let dir: string;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    dir = await mkdtemp(join(tmpdir(), "gfsdk-local-registry-test-"));
  }, 30_000);

  afterAll(async () => {
    await runner.stopAll();
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  /** Runs `npm publish` of a one-file package `name` with the registry's token. */
  async function publish(name: string) {
    const pkg = join(dir, name.replace("/", "+"));
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, "package.json"), JSON.stringify({ name, version: "1.0.0" }));
    await writeFile(join(pkg, "index.js"), "export {};\n");
    const userconfig = join(pkg, ".test-npmrc");
    await writeFile(userconfig, `${registry.authLine}\n`);
    return runner.run("npm", ["publish", "--registry", registry.url], {
      cwd: pkg,
      env: createChildEnv({
        pathPrepend: [pinnedNodeDir],
        set: { NPM_CONFIG_USERCONFIG: userconfig, npm_config_update_notifier: "false" },
      }),
      timeoutMs: 60_000,
      allowFailure: true,
    });
  }

  it("listens on 127.0.0.1 and hands out a token", () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(registry.authToken).not.toBe("");
    expect(registry.authLine).toBe(`//${new URL(registry.url).host}/:_authToken=${registry.authToken}`);
  });

  it("has no uplink: a package it was not given is not there", async () => {
    expect((await fetch(`${registry.url}/@gfsdk%2fcore`)).status).toBe(404);
    // Outside @gfsdk/* nothing is even readable.
    const lodash = await fetch(`${registry.url}/lodash`);
    expect(lodash.status).toBeGreaterThanOrEqual(400);
    expect(lodash.status).not.toBe(200);
  });

  it("refuses a publish without a token", async () => {
    // Straight to the server: npm itself would not even send a publish without a token.
    const body = {
      _id: "@gfsdk/probe-a",
      name: "@gfsdk/probe-a",
      "dist-tags": { latest: "1.0.0" },
      versions: { "1.0.0": { name: "@gfsdk/probe-a", version: "1.0.0" } },
      _attachments: {},
    };
    const response = await fetch(`${registry.url}/@gfsdk%2fprobe-a`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect([401, 403]).toContain(response.status);
    expect((await fetch(`${registry.url}/@gfsdk%2fprobe-a`)).status).toBe(404);
  });

  it("accepts npm publish with its token, and then serves the package and its tarball", async () => {
    const accepted = await publish("@gfsdk/probe-b");
    expect(accepted.code, accepted.stderr).toBe(0);
    const response = await fetch(`${registry.url}/@gfsdk%2fprobe-b`);
    expect(response.status).toBe(200);
    const packument = (await response.json()) as { versions: Record<string, { dist: { tarball: string } }> };
    const tarball = await fetch(packument.versions["1.0.0"]!.dist.tarball);
    expect(tarball.status).toBe(200);
    expect((await tarball.arrayBuffer()).byteLength).toBeGreaterThan(0);
  }, 60_000);

  it("refuses packages outside @gfsdk/*, even with its token", async () => {
    const result = await publish("probe-unscoped");
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("E403");
    expect((await fetch(`${registry.url}/probe-unscoped`)).status).not.toBe(200);
  }, 60_000);

  it("stops listening and can be stopped twice", async () => {
    const other = await startLocalRegistry();
    await other.stop();
    await other.stop();
    await expect(fetch(`${other.url}/-/ping`)).rejects.toThrow();
  });
});
