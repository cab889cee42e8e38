import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import { createClient } from "@connectrpc/connect";
import { createLogger } from "@gfsdk/core";
import { goplugin, health } from "@gfsdk/core/protocol";
import type { PluginProcess } from "@gfsdk/testing";
import {
  createGrpcPluginClient,
  createHostCertificate,
  type GrpcPluginClientOptions,
  type HostCertificate,
} from "@gfsdk/testing";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { isProcessAlive } from "./process-alive.js";
import { serve } from "./serve.js";
import { createFixturePlugin } from "./testing/fixture-plugin.js";
import { createOutputSink } from "./testing/output-sink.js";
import { goPluginEnv, startPluginProcess, useFixtureBundle } from "./testing/plugin-process.js";
import { waitFor } from "./testing/wait-for.js";

const { HealthCheckResponse_ServingStatus: ServingStatus } = health;

const fixture = useFixtureBundle();
let host: HostCertificate;
let stranger: HostCertificate;
beforeAll(async () => {
  [host, stranger] = await Promise.all([createHostCertificate(), createHostCertificate()]);
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function start(env: Record<string, string>): PluginProcess {
  const plugin = startPluginProcess(fixture.path, env);
  const { pid } = plugin.child;
  cleanups.push(() => {
    if (pid && isProcessAlive(pid)) process.kill(pid, "SIGKILL");
  });
  return plugin;
}

/** The handshake's fields, and field 6 as the PEM certificate the host then trusts. */
function parseHandshake(line: string): { fields: string[]; serverPem: string } {
  const fields = line.split("|");
  expect(fields).toHaveLength(6);
  const field6 = fields[5] ?? "";
  expect(field6).toMatch(/^[A-Za-z0-9+/]{51,}$/); // base64 without padding, long enough for go-plugin
  return { fields, serverPem: new X509Certificate(Buffer.from(field6, "base64")).toString() };
}

/** Health of `plugin` over a fresh connection; rejects when the connection or call fails. */
async function healthStatus(address: string, options: GrpcPluginClientOptions = {}): Promise<number> {
  const client = createGrpcPluginClient(address, options);
  try {
    const res = await createClient(health.Health, client.transport).check(
      { service: "plugin" },
      { timeoutMs: 5000 },
    );
    return res.status;
  } finally {
    client.close();
  }
}

/** Whether the server answers an HTTP/2 client preface over TLS on `socket`, or closes the connection. */
function http2Answer(socket: string, tls: { ca: string; cert: string; key: string }): Promise<string> {
  return new Promise((resolve) => {
    const connection = connectTls({ path: socket, servername: "localhost", ALPNProtocols: ["h2"], ...tls });
    connection.on("secureConnect", () => connection.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    connection.on("data", () => {
      resolve("answered");
      connection.destroy();
    });
    connection.on("error", (error) => resolve(`error: ${error.message}`));
    connection.on("close", () => resolve("closed"));
  });
}

describe("serve with AutoMTLS (PLUGIN_CLIENT_CERT) in a plugin executable", () => {
  it("serves mutual TLS to the host's certificate only, and announces its own in field 6", async () => {
    const plugin = start(
      goPluginEnv({ PLUGIN_CLIENT_CERT: host.certificatePem, FIXTURE_REPORT_REFLECT: "1" }),
    );
    const { fields, serverPem } = parseHandshake(await plugin.handshakeLine);
    expect(fields.slice(0, 3)).toEqual(["1", "2", "unix"]);
    expect(fields[4]).toBe("grpc");
    const socket = fields[3] ?? "";
    expect(new X509Certificate(serverPem).subjectAltName).toBe("DNS:localhost");

    const tls = { ca: serverPem, cert: host.certificatePem, key: host.privateKeyPem };
    expect(await healthStatus(socket, { tls })).toBe(ServingStatus.SERVING);
    const client = createGrpcPluginClient(socket, { tls });
    cleanups.push(() => client.close());
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");

    // Refused: plaintext, TLS without a client certificate, TLS with a certificate the host did not send.
    await expect(healthStatus(socket)).rejects.toThrow();
    await expect(healthStatus(socket, { tls: { ca: serverPem } })).rejects.toThrow(/certificate required/);
    const strangerTls = { ca: serverPem, cert: stranger.certificatePem, key: stranger.privateKeyPem };
    await expect(healthStatus(socket, { tls: strangerTls })).rejects.toThrow();
    // At the TLS level: the server sends its HTTP/2 SETTINGS to the host, and hangs up on the stranger.
    expect(await http2Answer(socket, tls)).toBe("answered");
    expect(await http2Answer(socket, strangerTls)).toBe("closed");
    // A client that does not trust the plugin's certificate fails too (the host trusts field 6 only).
    await expect(
      healthStatus(socket, {
        tls: { ca: stranger.certificatePem, cert: host.certificatePem, key: host.privateKeyPem },
      }),
    ).rejects.toThrow(/self-signed certificate/);

    // The host's connection still works, and Shutdown over it ends the process cleanly.
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    await createClient(goplugin.GRPCController, client.transport).shutdown({});
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(plugin.stdout()).toBe(`${fields.join("|")}\n`);
    expect(plugin.stderr()).toContain("Reflect.getMetadata: function");
  });

  it("does not load the certificate code without PLUGIN_CLIENT_CERT: an empty field 6", async () => {
    const plugin = start(goPluginEnv({ FIXTURE_REPORT_REFLECT: "1" }));
    const line = await plugin.handshakeLine;
    expect(line).toMatch(/^1\|2\|unix\|[^|]+\|grpc\|$/);
    await waitFor(() => plugin.stderr().includes("Reflect.getMetadata:"), "the fixture's report");
    expect(plugin.stderr()).toContain("Reflect.getMetadata: undefined");
    plugin.child.kill("SIGTERM");
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it("refuses an invalid PLUGIN_CLIENT_CERT: status 1, nothing on stdout, the reason on stderr", async () => {
    const plugin = start(goPluginEnv({ PLUGIN_CLIENT_CERT: "-----BEGIN CERTIFICATE-----\nnope\n" }));
    expect(await plugin.exited).toEqual({ code: 1, signal: null });
    expect(plugin.stdout()).toBe("");
    expect(plugin.stderr()).toMatch(
      /^plugin init error: the host asked for AutoMTLS, but PLUGIN_CLIENT_CERT is not a PEM certificate: .*\n$/,
    );
  });
});

describe("serve with AutoMTLS, in-process", () => {
  it("serves mutual TLS on loopback TCP too", async () => {
    const stdout = createOutputSink();
    const exits: number[] = [];
    const server = await serve(createFixturePlugin(), {
      argv: [],
      env: goPluginEnv({ PLUGIN_CLIENT_CERT: host.certificatePem }),
      network: "tcp",
      stdout: stdout.stream,
      stderr: createOutputSink().stream,
      logger: createLogger({ write: () => {} }),
      exit: (code) => exits.push(code),
      pluginDir: join(tmpdir(), "gfsdk-no-such-plugin-dir"),
    });
    cleanups.push(() => server.shutdown());
    const { fields, serverPem } = parseHandshake(server.handshake);
    expect(fields.slice(2, 4)).toEqual(["tcp", server.address]);
    expect(stdout.text()).toBe(`${server.handshake}\n`);
    const tls = { ca: serverPem, cert: host.certificatePem, key: host.privateKeyPem };
    expect(await healthStatus(server.address, { tls })).toBe(ServingStatus.SERVING);
    await expect(healthStatus(server.address, { tls: { ca: serverPem } })).rejects.toThrow();
    await server.shutdown();
    expect(exits).toEqual([0]);
  });
});
