// launchPlugin against a real plugin executable: the @gfsdk/grpc fixture plugin, bundled here with
// esbuild as a plugin build would (by path, so this package does not depend on @gfsdk/grpc), and
// small scripts that misbehave before their handshake.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { goplugin, pluginv2 } from "@gfsdk/core/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldValues } from "./field-values.js";
import { type LaunchedPlugin, launchPlugin } from "./launch-plugin.js";

const rootDir = resolve(import.meta.dirname, "../../..");
let dir: string;
let fixture: string;
const launched: LaunchedPlugin[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gfsdk-testing-launch-"));
  fixture = join(dir, "fixture.mjs");
  await promisify(execFile)(join(rootDir, "node_modules/.bin/esbuild"), [
    join(rootDir, "packages/grpc/src/testing/fixture-main.ts"),
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--log-level=warning",
    "--conditions=@gfsdk/source",
    // grpc-js is CommonJS and requires Node built-ins, which an ESM bundle has no `require` for.
    "--banner:js=import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);",
    `--outfile=${fixture}`,
  ]);
  await writeFile(
    join(dir, "exits-early.mjs"),
    'process.stderr.write("plugin init error: cannot open /etc/my-plugin.conf\\n"); process.exit(3);\n',
  );
  await writeFile(
    join(dir, "banner.mjs"),
    'console.log("Starting my plugin v1.0"); setInterval(() => {}, 1000);\n',
  );
  await writeFile(join(dir, "silent.mjs"), "setInterval(() => {}, 1000);\n");
  // Hand-shakes on a socket that accepts connections and never answers, and ignores SIGTERM.
  await writeFile(
    join(dir, "stuck.mjs"),
    [
      'import { createServer } from "node:net";',
      'const path = process.env.PLUGIN_UNIX_SOCKET_DIR + "/stuck.sock";',
      'createServer(() => {}).listen(path, () => console.log("1|2|unix|" + path + "|grpc|"));',
      'process.on("SIGTERM", () => {});',
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  for (const plugin of launched) await plugin.shutdown();
  await rm(dir, { recursive: true, force: true });
});

async function launch(...args: Parameters<typeof launchPlugin>): Promise<LaunchedPlugin> {
  const plugin = await launchPlugin(...args);
  launched.push(plugin);
  return plugin;
}

describe("launchPlugin", () => {
  it("starts the executable as Grafana does, parses its handshake, answers calls, and shuts it down with status 0", async () => {
    const plugin = await launch(fixture, { env: { FIXTURE_CONSOLE_LOG: "hello on stdout" } });
    expect(plugin.handshake).toMatchObject({
      coreProtocolVersion: 1,
      appProtocolVersion: 2,
      network: "unix",
    });
    expect(existsSync(plugin.handshake.address)).toBe(true);
    expect(await plugin.checkHealth()).toMatchObject({ status: "OK", message: "fixture ok" });

    const result = await plugin.query({ queryType: "huge", model: { rows: 2, rowBytes: 3 } });
    expect(result.status).toBe(200);
    expect(fieldValues(result.frames[0]!, "text")).toEqual(["xxx", "xxx"]);

    // The fixture has per-query handlers only: core answers QueryChunkedData with a chunk per frame.
    const chunked = await plugin.queryChunkedData([
      { refId: "C", queryType: "huge", model: { rows: 1, rowBytes: 2 } },
    ]);
    expect(chunked.C).toMatchObject({ status: 200, frameIds: ["huge"] });
    expect(fieldValues(chunked.C!.frames[0]!, "text")).toEqual(["xx"]);

    const res = await plugin.callResource({ path: "chunks?chunks=2" });
    expect(res.text()).toBe("chunk 0\nchunk 1\n");

    // After the handshake the plugin's console.log goes to stderr; its own logs are hclog JSON.
    await expect.poll(() => plugin.logs().some((l) => l.text === "hello on stdout")).toBe(true);
    const address = plugin.logs().find((l) => l.message === "plugin address");
    expect(address).toMatchObject({ level: "debug", record: { address: plugin.handshake.address } });
    expect(plugin.stderr()).toContain('"@message":"Plugin Request Completed"');

    expect(await plugin.shutdown()).toEqual({ code: 0, signal: null });
    expect(existsSync(plugin.handshake.address)).toBe(false);
    expect(await plugin.shutdown()).toEqual({ code: 0, signal: null });
  });

  it("passes the go-plugin environment: the cookie, protocol 2, the port range and GF_VERSION", async () => {
    // The port range only matters for TCP listeners (go-plugin uses them on Windows): on Linux the socket is unix.
    const plugin = await launch(fixture, { minPort: 20000, maxPort: 20010, grafanaVersion: "11.5.0" });
    expect(plugin.handshake.network).toBe("unix");
    const env = await readEnviron(plugin.process.child.pid!);
    expect(env).toMatchObject({
      grafana_plugin_type: "datasource",
      PLUGIN_PROTOCOL_VERSIONS: "2",
      PLUGIN_MIN_PORT: "20000",
      PLUGIN_MAX_PORT: "20010",
      GF_VERSION: "11.5.0",
    });
    expect((await plugin.shutdown()).code).toBe(0);
  });

  it("sends the tester's default settings with every call", async () => {
    const plugin = await launch(fixture, { jsonData: { a: 1 }, orgId: 5 });
    expect(plugin.pluginContext().orgId).toBe(5n);
    expect((await plugin.checkHealth()).status).toBe("OK");
    expect((await plugin.shutdown()).code).toBe(0);
  });

  it("connects with mutual TLS when asked for AutoMTLS, trusting the certificate the handshake announces", async () => {
    const plugin = await launch(fixture, { autoMtls: true });
    expect(plugin.handshake.serverCertificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect((await plugin.checkHealth()).message).toBe("fixture ok");
    expect((await plugin.shutdown()).code).toBe(0);
  });

  it("SIGKILLs a plugin that neither answers Shutdown nor exits, after shutdownTimeoutMs", async () => {
    const plugin = await launch(join(dir, "stuck.mjs"), { unixSocketDir: dir, shutdownTimeoutMs: 200 });
    expect(plugin.handshake.address).toBe(join(dir, "stuck.sock"));
    expect(await plugin.shutdown()).toEqual({ code: null, signal: "SIGKILL" });
  });

  it("connects over TCP when the handshake announces a host:port", async () => {
    // A gRPC server in this process stands for the plugin's; the "plugin" only hand-shakes, as the
    // Go SDK's standalone locator does, and exits when the server is told to shut down.
    let pluginPid = 0;
    const handler = connectNodeAdapter({
      grpc: true,
      connect: false,
      grpcWeb: false,
      routes(router) {
        router.service(pluginv2.Diagnostics, {
          checkHealth: () => ({ status: pluginv2.CheckHealthResponse_HealthStatus.OK, message: "over tcp" }),
        });
        router.service(goplugin.GRPCController, {
          shutdown: () => {
            process.kill(pluginPid, "SIGTERM");
            return {};
          },
        });
      },
    });
    const server = createServer(handler);
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    try {
      const { port } = server.address() as AddressInfo;
      const script = join(dir, "locator.mjs");
      await writeFile(
        script,
        `console.log("1|2|tcp|127.0.0.1:${port}|grpc|"); setInterval(() => {}, 1000);\n`,
      );
      const plugin = await launch(script);
      pluginPid = plugin.process.child.pid!;
      expect(plugin.handshake).toMatchObject({ network: "tcp", address: `127.0.0.1:${port}` });
      expect((await plugin.checkHealth()).message).toBe("over tcp");
      expect(await plugin.shutdown()).toEqual({ code: null, signal: "SIGTERM" });
    } finally {
      server.close();
    }
  });

  it("rejects with the exit status and the plugin's stderr when it exits before its handshake", async () => {
    const error = await launchPlugin(join(dir, "exits-early.mjs")).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/exits-early\.mjs exited with status 3 before its handshake/);
    expect((error as Error).message).toContain("plugin init error: cannot open /etc/my-plugin.conf");
  });

  it("rejects and stops the process when the first stdout line is not a handshake", async () => {
    const error = await launchPlugin(join(dir, "banner.mjs")).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Unrecognized remote plugin message: "Starting my plugin v1.0"/);
  });

  it("rejects after handshakeTimeoutMs when the plugin prints nothing, and kills it", async () => {
    const error = await launchPlugin(join(dir, "silent.mjs"), { handshakeTimeoutMs: 300 }).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toMatch(
      /printed no handshake line within 300 ms; it wrote nothing on stderr/,
    );
  });

  it("rejects naming the executable when it cannot be started", async () => {
    const error = await launchPlugin(join(dir, "no-such-plugin")).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/cannot start .*no-such-plugin: spawn .* ENOENT/);
  });
});

/** The environment of process `pid`, from /proc. */
async function readEnviron(pid: number): Promise<Record<string, string>> {
  const { readFile } = await import("node:fs/promises");
  const raw = await readFile(`/proc/${pid}/environ`, "utf8");
  return Object.fromEntries(
    raw
      .split("\0")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}
