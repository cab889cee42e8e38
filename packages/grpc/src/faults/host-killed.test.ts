// Fault: the host (Grafana) is SIGKILLed while a call is in flight. The plugin must notice that its
// parent is gone and exit by itself, removing its socket, whether the call's connection died with
// the host or outlives it (then the call never ends by itself and shutdown has to cut it).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { create, toBinary } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { createGrpcPluginClient, type GrpcPluginClient, watchPluginProcess } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { isProcessAlive } from "../process-alive.js";
import { goPluginEnv, useFixtureBundle } from "../testing/plugin-process.js";
import { waitFor } from "../testing/wait-for.js";

const fixture = useFixtureBundle();

const grpcJs = createRequire(import.meta.url).resolve("@grpc/grpc-js");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// The host: starts the plugin as go-plugin does (stdout and stderr are pipes the host reads, so
// they break when it dies), copies the plugin's stderr to its own, optionally makes the call
// itself over its own connection, and reports on fd 3 once the call is in flight (or at once).
const hostScript = `
  const { spawn } = require("node:child_process");
  const { writeSync } = require("node:fs");
  const [grpcJs, bundle, method, request] = process.argv.slice(1);
  const grpc = require(grpcJs);
  const plugin = spawn(process.execPath, [bundle], { stdio: ["ignore", "pipe", "pipe"] });
  const report = (value) => writeSync(3, JSON.stringify({ pid: plugin.pid, ...value }) + "\\n");
  let out = "";
  let socket;
  plugin.stdout.on("data", (chunk) => {
    out += chunk;
    if (socket !== undefined || !out.includes("\\n")) return;
    socket = out.split("|")[3];
    if (method === "none") return report({ socket });
    const client = new grpc.Client("unix:" + socket, grpc.credentials.createInsecure());
    const bytes = Buffer.from(request, "base64");
    const id = (b) => b;
    if (method.endsWith("RunStream")) {
      const call = client.makeServerStreamRequest(method, id, id, bytes);
      call.once("data", () => report({ socket }));
      call.on("error", () => {});
    } else {
      client.makeUnaryRequest(method, id, id, bytes, () => {});
    }
  });
  plugin.stderr.on("data", (chunk) => {
    process.stderr.write(chunk);
    if (method.endsWith("QueryData") && String(chunk).includes("fixture hold started")) report({ socket });
  });
  setInterval(() => {}, 1000);
`;

interface HostedPlugin {
  pid: number;
  socket: string;
  killHost(): void;
  /** What the plugin wrote on stderr while its host lived. */
  stderr(): string;
}

/** Starts the host, which starts the plugin; resolves once `method` (if any) is in flight. */
async function startHost(method: string, request: Uint8Array): Promise<HostedPlugin> {
  const host = spawn(
    process.execPath,
    ["-e", hostScript, grpcJs, fixture.path, method, Buffer.from(request).toString("base64")],
    { env: goPluginEnv(), stdio: ["ignore", "pipe", "pipe", "pipe"] },
  );
  const watched = watchPluginProcess(host);
  const report = await new Promise<{ pid: number; socket: string }>((resolve, reject) => {
    host.stdio[3]?.once("data", (chunk: Buffer) => resolve(JSON.parse(String(chunk))));
    void watched.exited.then(() => reject(new Error(`the host exited: ${watched.stderr()}`)));
  });
  cleanups.push(() => {
    if (isProcessAlive(report.pid)) process.kill(report.pid, "SIGKILL");
    host.kill("SIGKILL");
  });
  return { ...report, killHost: () => host.kill("SIGKILL"), stderr: watched.stderr };
}

const runStreamRequest = toBinary(
  pluginv2.RunStreamRequestSchema,
  create(pluginv2.RunStreamRequestSchema, { path: "x" }),
);
const holdRequest = toBinary(
  pluginv2.QueryDataRequestSchema,
  create(pluginv2.QueryDataRequestSchema, {
    queries: [{ refId: "A", queryType: "hold", json: new TextEncoder().encode("{}") }],
  }),
);

/** Kills the host and waits for the orphaned plugin to exit; returns how long that took, in ms. */
async function killHostAndWaitForExit(plugin: HostedPlugin): Promise<number> {
  const killedAt = performance.now();
  plugin.killHost();
  // The parent is polled every second and shutdown gives calls 1.5 s: 15 s leaves ample margin.
  await waitFor(
    () => !isProcessAlive(plugin.pid),
    `plugin ${plugin.pid} exits after its host was killed`,
    15_000,
  );
  const ms = performance.now() - killedAt;
  await waitFor(() => !existsSync(plugin.socket), "the plugin removes its socket");
  return ms;
}

describe("a plugin whose host is SIGKILLed", () => {
  it("exits by itself and removes its socket, killed mid-stream on the host's own connection", async () => {
    const plugin = await startHost("/pluginv2.Stream/RunStream", runStreamRequest);
    expect(existsSync(plugin.socket)).toBe(true);
    expect(await killHostAndWaitForExit(plugin)).toBeLessThan(15_000);
  });

  it("exits by itself and removes its socket, killed mid-query on the host's own connection", async () => {
    const plugin = await startHost("/pluginv2.Data/QueryData", holdRequest);
    expect(plugin.stderr()).toContain("fixture hold started");
    expect(await killHostAndWaitForExit(plugin)).toBeLessThan(15_000);
  });

  describe("with the call on a connection that outlives the host", () => {
    let client: GrpcPluginClient;

    it("exits mid-stream: shutdown cancels the stream that would never end", async () => {
      const plugin = await startHost("none", new Uint8Array());
      client = createGrpcPluginClient(plugin.socket);
      cleanups.push(() => client.close());
      const abort = new AbortController();
      cleanups.push(() => abort.abort());
      const packets = client.stream
        .runStream({ path: "x" }, { signal: abort.signal })
        [Symbol.asyncIterator]();
      await packets.next();
      const ended = (async () => {
        try {
          while (!(await packets.next()).done);
          return "ended";
        } catch {
          return "failed";
        }
      })();
      await killHostAndWaitForExit(plugin);
      // The stream ended (the plugin closed it), it did not hang.
      expect(["ended", "failed"]).toContain(await ended);
    });

    it("exits mid-query: the query is cancelled, not left hanging", async () => {
      const plugin = await startHost("none", new Uint8Array());
      client = createGrpcPluginClient(plugin.socket);
      cleanups.push(() => client.close());
      const query = client.data
        .queryData({ queries: [{ refId: "A", queryType: "hold", json: new TextEncoder().encode("{}") }] })
        .then(
          () => "answered",
          (error: Error) => error.message,
        );
      await waitFor(() => plugin.stderr().includes("fixture hold started"), "the query is in flight");
      await killHostAndWaitForExit(plugin);
      expect(await query).toMatch(/shutting down|unavailable|closed|reset|canceled/i);
    });
  });
});
