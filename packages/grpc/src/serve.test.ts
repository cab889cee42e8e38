import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@connectrpc/connect";
import { goplugin } from "@gfsdk/core/protocol";
import { createGrpcPluginClient } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type PluginServer, type ServeOptions, serve } from "./serve.js";
import { createFixtureEvents, createFixturePlugin, type FixtureEvents } from "./testing/fixture-plugin.js";
import { createOutputSink, type OutputSink } from "./testing/output-sink.js";
import { waitFor } from "./testing/wait-for.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const pluginId = "gfsdk-fixture-datasource";
const hostEnv = { grafana_plugin_type: "datasource", PLUGIN_PROTOCOL_VERSIONS: "2" };

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Served {
  stdout: OutputSink;
  stderr: OutputSink;
  exits: number[];
  events: FixtureEvents;
  result: Promise<PluginServer>;
}

/** Runs `serve` in-process with the process contract's inputs and outputs injected. */
function runServe(options: Partial<ServeOptions> = {}): Served {
  const stdout = createOutputSink();
  const stderr = createOutputSink();
  const exits: number[] = [];
  const events = createFixtureEvents();
  const result = serve(createFixturePlugin(events), {
    pluginId,
    argv: [],
    env: hostEnv,
    stdout: stdout.stream,
    stderr: stderr.stream,
    exit: (code) => exits.push(code),
    pluginDir: join(tmpdir(), "gfsdk-no-such-plugin-dir"),
    watchIntervalMs: 20,
    ...options,
  });
  // A test that expects a refusal reads the rejection itself; others get the server.
  result.then(
    (server) => cleanups.push(() => server.shutdown()),
    () => {},
  );
  return { stdout, stderr, exits, events, result };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "gfsdk-grpc-serve-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function pluginDir(): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, "plugin.json"), JSON.stringify({ id: pluginId, backend: true }));
  return dir;
}

/** A live process that is not this one, standing in for a standalone server. */
function otherProcess(): number {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  cleanups.push(() => child.kill("SIGKILL"));
  return child.pid ?? 0;
}

describe("serve", () => {
  it("refuses to run without the magic cookie: status 1, nothing on stdout, one line on stderr", async () => {
    const { result, stdout, stderr, exits } = runServe({ env: { PLUGIN_PROTOCOL_VERSIONS: "2" } });
    await expect(result).rejects.toThrow(/status 1/);
    expect(exits).toEqual([1]);
    expect(stdout.text()).toBe("");
    expect(stderr.text()).toMatch(
      /^This binary is a plugin\. These are not meant to be executed directly\.[^\n]*\n$/,
    );
  });

  it("refuses a host whose PLUGIN_PROTOCOL_VERSIONS lacks 2", async () => {
    const { result, stdout, stderr, exits } = runServe({
      env: { ...hostEnv, PLUGIN_PROTOCOL_VERSIONS: "1,3" },
    });
    await expect(result).rejects.toThrow(/status 1/);
    expect(exits).toEqual([1]);
    expect(stdout.text()).toBe("");
    expect(stderr.text()).toContain("protocol version 2");
    expect(stderr.text()).toContain("1, 3");
  });

  it("speaks protocol 2 when the host sends no PLUGIN_PROTOCOL_VERSIONS", async () => {
    const { result } = runServe({ env: { grafana_plugin_type: "datasource" } });
    expect((await result).handshake).toMatch(/^1\|2\|unix\|/);
  });

  it("prints the handshake line first and only once the socket accepts calls", async () => {
    const { result, stdout } = runServe();
    const server = await result;
    expect(server.mode).toBe("plugin");
    expect(server.handshake).toBe(`1|2|unix|${server.address}|grpc|`);
    expect(stdout.text()).toBe(`${server.handshake}\n`);
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
  });

  it("creates an owner-only socket in PLUGIN_UNIX_SOCKET_DIR", async () => {
    const dir = await tempDir();
    const server = await runServe({ env: { ...hostEnv, PLUGIN_UNIX_SOCKET_DIR: dir } }).result;
    expect(server.address.startsWith(`${dir}/plugin`)).toBe(true);
    expect(statSync(server.address).mode & 0o777).toBe(0o600);
  });

  it("gives the socket to PLUGIN_UNIX_SOCKET_GROUP, group-writable (0660)", async () => {
    const gid = process.getgid?.() ?? 0;
    const server = await runServe({ env: { ...hostEnv, PLUGIN_UNIX_SOCKET_GROUP: String(gid) } }).result;
    const stat = statSync(server.address);
    expect(stat.mode & 0o777).toBe(0o660);
    expect(stat.gid).toBe(gid);
  });

  it("refuses to start when PLUGIN_UNIX_SOCKET_GROUP names no group", async () => {
    const { result, exits, stdout, stderr } = runServe({
      env: { ...hostEnv, PLUGIN_UNIX_SOCKET_GROUP: "gfsdk-no-such-group" },
    });
    await expect(result).rejects.toThrow(/status 1/);
    expect(exits).toEqual([1]);
    expect(stdout.text()).toBe("");
    expect(stderr.text()).toContain("gfsdk-no-such-group");
  });

  it("listens on loopback TCP within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT when asked for TCP", async () => {
    const server = await runServe({
      network: "tcp",
      env: { ...hostEnv, PLUGIN_MIN_PORT: "20000", PLUGIN_MAX_PORT: "20999" },
    }).result;
    const match = /^1\|2\|tcp\|127\.0\.0\.1:(\d+)\|grpc\|$/.exec(server.handshake);
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(20000);
    expect(Number(match?.[1])).toBeLessThanOrEqual(20999);
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
  });

  it("sends what is written to stdout after the handshake to stderr", async () => {
    const { result, stdout, stderr } = runServe();
    const server = await result;
    stdout.stream.write("stray output\n");
    expect(stdout.text()).toBe(`${server.handshake}\n`);
    expect(stderr.text()).toContain("stray output\n");
  });

  it("on GRPCController.Shutdown finishes the call in flight, removes the socket and exits 0", async () => {
    const { result, exits, events } = runServe();
    const server = await result;
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());
    const slow = client.data.queryData({
      queries: [{ refId: "A", queryType: "slow", json: encoder.encode('{"ms":200}') }],
    });
    await waitFor(() => events.started.includes("slow"), "the slow call reaches its handler");
    await createClient(goplugin.GRPCController, client.transport).shutdown({});
    expect(decoder.decode((await slow).responses.A?.frames[0])).toBe("slept 200");
    await server.closed;
    expect(exits).toEqual([0]);
    expect(existsSync(server.address)).toBe(false);
  });

  it("shuts down and exits 0 on SIGTERM, removing its process listeners", async () => {
    const before = process.listenerCount("SIGTERM");
    const { result, exits } = runServe();
    const server = await result;
    expect(process.listenerCount("SIGTERM")).toBe(before + 1);
    process.emit("SIGTERM", "SIGTERM");
    await server.closed;
    expect(exits).toEqual([0]);
    expect(existsSync(server.address)).toBe(false);
    expect(process.listenerCount("SIGTERM")).toBe(before);
  });

  it("ignores SIGINT", async () => {
    const { result, exits } = runServe();
    const server = await result;
    process.emit("SIGINT", "SIGINT");
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    expect(exits).toEqual([]);
  });

  it("prints the version for --version and -version and exits 0", async () => {
    for (const flag of ["--version", "-version"]) {
      const { result, stdout, exits } = runServe({ argv: [flag], version: "1.2.3", env: {} });
      await expect(result).rejects.toThrow(/status 0/);
      expect(stdout.text()).toBe("1.2.3\n");
      expect(exits).toEqual([0]);
    }
  });
});

describe("serve --standalone", () => {
  it("serves on a free loopback port and writes standalone.txt and pid.txt, removed on exit", async () => {
    const dir = await pluginDir();
    const { result, stdout, exits } = runServe({ argv: ["--standalone"], env: {}, pluginDir: dir });
    const server = await result;
    expect(server.mode).toBe("standalone");
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await readFile(join(dir, "standalone.txt"), "utf8")).toBe(server.address);
    expect(await readFile(join(dir, "pid.txt"), "utf8")).toBe(String(process.pid));
    expect(stdout.text()).toBe("");
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    await server.shutdown();
    expect(exits).toEqual([0]);
    expect(existsSync(join(dir, "standalone.txt"))).toBe(false);
    expect(existsSync(join(dir, "pid.txt"))).toBe(false);
  });

  it("listens on the address in GF_PLUGIN_GRPC_ADDRESS_<PLUGINID>", async () => {
    const dir = await pluginDir();
    const probe = await runServe({ argv: ["-standalone"], env: {}, pluginDir: dir }).result;
    const port = probe.address.split(":")[1];
    await probe.shutdown();
    const env = { GF_PLUGIN_GRPC_ADDRESS_GFSDK_FIXTURE_DATASOURCE: `:${port}` };
    const server = await runServe({ argv: ["-standalone"], env, pluginDir: dir }).result;
    expect(server.address).toBe(`127.0.0.1:${port}`);
  });

  it("stops on SIGINT, unlike a plugin launched by a host", async () => {
    const dir = await pluginDir();
    const { result, exits } = runServe({ argv: ["--standalone"], env: {}, pluginDir: dir });
    const server = await result;
    process.emit("SIGINT", "SIGINT");
    await server.closed;
    expect(exits).toEqual([0]);
  });

  it("refuses to start without the plugin's plugin.json", async () => {
    const dir = await tempDir();
    const { result, exits, stderr } = runServe({ argv: ["--standalone"], env: {}, pluginDir: dir });
    await expect(result).rejects.toThrow(/status 1/);
    expect(exits).toEqual([1]);
    expect(stderr.text()).toContain("plugin.json");
  });
});

describe("serve as a standalone locator", () => {
  it("hands the host a live standalone server's address and exits once that server is gone", async () => {
    const dir = await pluginDir();
    const pid = otherProcess();
    await writeFile(join(dir, "standalone.txt"), "127.0.0.1:45678");
    await writeFile(join(dir, "pid.txt"), String(pid));
    const { result, stdout, exits } = runServe({ pluginDir: dir });
    const server = await result;
    expect(server.mode).toBe("locator");
    expect(server.handshake).toBe("1|2|tcp|127.0.0.1:45678|grpc|");
    expect(stdout.text()).toBe(`${server.handshake}\n`);
    stdout.stream.write("later output\n");
    expect(stdout.text()).toBe(`${server.handshake}\n`);
    process.kill(pid, "SIGKILL");
    await server.closed;
    expect(exits).toEqual([0]);
  });

  it("hands the host the address in GF_PLUGIN_GRPC_ADDRESS_<PLUGINID>", async () => {
    const env = { ...hostEnv, GF_PLUGIN_GRPC_ADDRESS_GFSDK_FIXTURE_DATASOURCE: "127.0.0.1:45679" };
    const server = await runServe({ env }).result;
    expect(server.mode).toBe("locator");
    expect(server.handshake).toBe("1|2|tcp|127.0.0.1:45679|grpc|");
  });

  it("ignores the files of a standalone server that died", async () => {
    const dir = await pluginDir();
    const pid = otherProcess();
    process.kill(pid, "SIGKILL");
    await waitFor(async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, "the stand-in process is gone");
    await writeFile(join(dir, "standalone.txt"), "127.0.0.1:45678");
    await writeFile(join(dir, "pid.txt"), String(pid));
    const server = await runServe({ pluginDir: dir }).result;
    expect(server.mode).toBe("plugin");
  });

  it("exits when a standalone server of the plugin starts, so the host restarts it as a locator", async () => {
    const dir = await pluginDir();
    const { result, exits } = runServe({ pluginDir: dir });
    const server = await result;
    expect(server.mode).toBe("plugin");
    await writeFile(join(dir, "standalone.txt"), "127.0.0.1:45678");
    await writeFile(join(dir, "pid.txt"), String(otherProcess()));
    await server.closed;
    expect(exits).toEqual([0]);
  });
});
