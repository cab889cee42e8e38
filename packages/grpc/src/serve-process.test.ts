import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { goplugin } from "@gfsdk/core/protocol";
import { createGrpcPluginClient, type PluginProcess, watchPluginProcess } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { isProcessAlive } from "./process-alive.js";
import { goPluginEnv, startPluginProcess, useFixtureBundle } from "./testing/plugin-process.js";
import { waitFor } from "./testing/wait-for.js";

const fixture = useFixtureBundle();

const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
});

function start(env: Record<string, string>): PluginProcess {
  const plugin = startPluginProcess(fixture.path, env);
  if (plugin.child.pid) pids.push(plugin.child.pid);
  return plugin;
}

async function socketOf(plugin: PluginProcess): Promise<string> {
  const fields = (await plugin.handshakeLine).split("|");
  expect(fields.slice(0, 3)).toEqual(["1", "2", "unix"]);
  return fields[3] ?? "";
}

async function healthy(address: string): Promise<string> {
  const client = createGrpcPluginClient(address);
  try {
    return (await client.diagnostics.checkHealth({})).message;
  } finally {
    client.close();
  }
}

describe("serve in a plugin executable", () => {
  it("writes only the handshake line on stdout; console.log after it goes to stderr", async () => {
    const plugin = start(goPluginEnv({ FIXTURE_CONSOLE_LOG: "hello from the plugin" }));
    const socket = await socketOf(plugin);
    expect(plugin.stdout().startsWith(`1|2|unix|${socket}|grpc|\n`)).toBe(true);
    expect(await healthy(socket)).toBe("fixture ok");
    await waitFor(
      () => plugin.stderr().includes("hello from the plugin"),
      "console.log output reaches stderr",
    );
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(plugin.stdout()).toBe(`1|2|unix|${socket}|grpc|\n`);
  });

  it("refuses to run without the magic cookie: status 1, nothing on stdout, the reason on stderr", async () => {
    const plugin = start({ PATH: process.env.PATH ?? "" });
    expect(await plugin.exited).toEqual({ code: 1, signal: null });
    expect(plugin.stdout()).toBe("");
    expect(plugin.stderr()).toMatch(
      /^This binary is a plugin\. These are not meant to be executed directly\./,
    );
  });

  it("refuses a host that does not speak protocol 2", async () => {
    const plugin = start(goPluginEnv({ PLUGIN_PROTOCOL_VERSIONS: "1" }));
    expect(await plugin.exited).toEqual({ code: 1, signal: null });
    expect(plugin.stdout()).toBe("");
    expect(plugin.stderr()).toContain("protocol version 2");
  });

  it("ignores SIGINT, and on SIGTERM exits 0 and removes its socket", async () => {
    const plugin = start(goPluginEnv());
    const socket = await socketOf(plugin);
    plugin.child.kill("SIGINT");
    expect(await healthy(socket)).toBe("fixture ok");
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);
  });

  it("exits 0 after GRPCController.Shutdown", async () => {
    const plugin = start(goPluginEnv());
    const socket = await socketOf(plugin);
    const client = createGrpcPluginClient(socket);
    await createClient(goplugin.GRPCController, client.transport).shutdown({});
    client.close();
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);
  });

  it("keeps serving after a promise rejection nobody handles", async () => {
    const plugin = start(goPluginEnv({ FIXTURE_UNHANDLED: "a stray rejection" }));
    const socket = await socketOf(plugin);
    await waitFor(() => plugin.stderr().includes("a stray rejection"), "the rejection is logged");
    expect(plugin.stderr()).toContain("Unhandled promise rejection");
    expect(await healthy(socket)).toBe("fixture ok");
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it("logs Node's own warnings as hclog JSON lines at warn, and keeps serving", async () => {
    const plugin = start(goPluginEnv({ FIXTURE_WARNING: "1" }));
    const socket = await socketOf(plugin);
    await waitFor(() => plugin.stderr().includes("TimeoutOverflowWarning"), "the warning is logged");
    const lines = plugin.stderr().trim().split("\n");
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.warning === "TimeoutOverflowWarning");
    expect(warning).toMatchObject({ "@level": "warn" });
    expect(warning["@message"]).toContain("does not fit into a 32-bit signed integer");
    expect(await healthy(socket)).toBe("fixture ok");
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it("logs an uncaught exception as an hclog JSON line at error and exits with status 1", async () => {
    const plugin = start(goPluginEnv({ FIXTURE_THROW: "thrown from a timer" }));
    expect(await plugin.exited).toEqual({ code: 1, signal: null });
    const lines = plugin.stderr().trim().split("\n");
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const error = lines
      .map((l) => JSON.parse(l))
      .find((l) => l["@message"] === "Uncaught exception, exiting");
    expect(error).toMatchObject({ "@level": "error" });
    expect(error.error).toContain("thrown from a timer");
  });

  it("exits when its host dies without stopping it", async () => {
    // The host: starts the plugin as Grafana would, tells us its pid on fd 3, then is SIGKILLed.
    const hostScript = `
      const { spawn } = require("node:child_process");
      const plugin = spawn(process.execPath, [process.argv[1]], { stdio: ["ignore", "inherit", "inherit"] });
      require("node:fs").writeSync(3, plugin.pid + "\\n");
      setInterval(() => {}, 1000);
    `;
    const host = spawn(process.execPath, ["-e", hostScript, fixture.path], {
      env: goPluginEnv({ FIXTURE_WATCH_MS: "100" }),
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    if (host.pid) pids.push(host.pid);
    const plugin = watchPluginProcess(host);
    const pluginPid = await new Promise<number>((resolve) => {
      host.stdio[3]?.once("data", (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    });
    pids.push(pluginPid);
    const socket = await socketOf(plugin);
    expect(await healthy(socket)).toBe("fixture ok");
    host.kill("SIGKILL");
    await waitFor(() => !isProcessAlive(pluginPid), "the orphaned plugin exits", 10_000);
    await waitFor(() => !existsSync(socket), "the orphaned plugin removes its socket");
  });
});
