import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Server as NetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { DownstreamError } from "@gfsdk/core";
import { createServer as createSocksServer } from "simple-socks";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient, type HttpClient } from "./http-client.js";
import { testPluginContext } from "./testing/plugin-context.js";
import { createTestPki, type TestPki } from "./testing/test-pki.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen<T extends NetServer>(server: T): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(() => {
    (server as unknown as Server).closeAllConnections?.();
    return new Promise((r) => server.close(r));
  });
  return (server.address() as AddressInfo).port;
}

/** A target that answers with the peer address it saw, so a test can tell it came through the proxy. */
const target: RequestListener = (req, res) => res.end(`hello ${req.url}`);

interface Proxy {
  port: number;
  /** The destinations the proxy connected to, `host:port`. */
  destinations: string[];
  /** The users that authenticated. */
  users: string[];
}

/**
 * A local SOCKS5 proxy (the `simple-socks` server) with user/password authentication; with `tls`,
 * behind a TLS listener that requires a client certificate, as Grafana's secure socks proxy is.
 */
async function socksProxy(password: string, tls?: { cert: string; key: string; ca: string }): Promise<Proxy> {
  const destinations: string[] = [];
  const users: string[] = [];
  const socks = createSocksServer({
    authenticate: (user, pass, _socket, callback) => {
      if (pass !== password) return callback(new Error("bad credentials"));
      users.push(user);
      callback();
    },
    connectionFilter: (destination, _origin, callback) => {
      destinations.push(`${destination.address}:${destination.port}`);
      callback();
    },
  });
  if (!tls) return { port: await listen(socks), destinations, users };
  const front = createTlsServer(
    { ...tls, requestCert: true, rejectUnauthorized: true, minVersion: "TLSv1.3" },
    (s) => socks.emit("connection", s as TLSSocket),
  );
  cleanups.push(async () => socks.close());
  return { port: await listen(front), destinations, users };
}

function client(...args: Parameters<typeof createHttpClient>): HttpClient {
  const c = createHttpClient(...args);
  cleanups.push(() => c.close());
  return c;
}

const proxyKeys = (port: number, extra: Record<string, string> = {}) => ({
  GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_ENABLED: "true",
  GF_SECURE_SOCKS_DATASOURCE_PROXY_PROXY_ADDRESS: `127.0.0.1:${port}`,
  ...extra,
});

describe("createSecureSocksConnector", () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });

  it("sends the requests of a data source that enables it through the SOCKS5 proxy, as its uid", async () => {
    const targetPort = await listen(createServer(target));
    const proxy = await socksProxy("proxy-pw");
    const http = client({
      pluginContext: testPluginContext({
        url: `http://127.0.0.1:${targetPort}`,
        jsonData: { enableSecureSocksProxy: true },
        secureJsonData: { secureSocksProxyPassword: "proxy-pw" },
        grafanaConfig: proxyKeys(proxy.port, { GF_SECURE_SOCKS_DATASOURCE_PROXY_ALLOW_INSECURE: "true" }),
      }),
    });
    expect(await (await http.fetch("/a")).text()).toBe("hello /a");
    expect(proxy.destinations).toEqual([`127.0.0.1:${targetPort}`]);
    expect(proxy.users).toEqual(["ds-uid"]);
  });

  it("connects directly when the data source does not enable the proxy", async () => {
    const targetPort = await listen(createServer(target));
    const proxy = await socksProxy("proxy-pw");
    const http = client({
      pluginContext: testPluginContext({
        url: `http://127.0.0.1:${targetPort}`,
        grafanaConfig: proxyKeys(proxy.port, { GF_SECURE_SOCKS_DATASOURCE_PROXY_ALLOW_INSECURE: "true" }),
      }),
    });
    expect(await (await http.fetch("/b")).text()).toBe("hello /b");
    expect(proxy.destinations).toEqual([]);
  });

  it("reaches the proxy over TLS 1.3 with Grafana's client certificate, and the target over TLS inside", async () => {
    const targetPort = await listen(
      createHttpsServer({ cert: pki.server.cert, key: pki.server.key }, target),
    );
    const proxy = await socksProxy("proxy-pw", {
      cert: pki.server.cert,
      key: pki.server.key,
      ca: pki.ca.cert,
    });
    const http = client({
      pluginContext: testPluginContext({
        url: `https://127.0.0.1:${targetPort}`,
        jsonData: {
          enableSecureSocksProxy: true,
          secureSocksProxyUsername: "pdc-user",
          tlsAuthWithCACert: true,
        },
        secureJsonData: { secureSocksProxyPassword: "proxy-pw", tlsCACert: pki.ca.cert },
        grafanaConfig: proxyKeys(proxy.port, {
          GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_NAME: "localhost",
          GF_SECURE_SOCKS_DATASOURCE_PROXY_CLIENT_CERT_VAL: pki.client.cert,
          GF_SECURE_SOCKS_DATASOURCE_PROXY_CLIENT_KEY_VAL: pki.client.key,
          GF_SECURE_SOCKS_DATASOURCE_PROXY_ROOT_CA_CERT_VALS: pki.ca.cert,
        }),
      }),
    });
    expect(await (await http.fetch("/c")).text()).toBe("hello /c");
    expect(proxy.destinations).toEqual([`127.0.0.1:${targetPort}`]);
    expect(proxy.users).toEqual(["pdc-user"]);
    // Without Grafana's client certificate the proxy's TLS listener refuses the connection.
    const { pluginContext } = {
      pluginContext: testPluginContext({
        url: `https://127.0.0.1:${targetPort}`,
        jsonData: { enableSecureSocksProxy: true, tlsAuthWithCACert: true },
        secureJsonData: { secureSocksProxyPassword: "proxy-pw", tlsCACert: pki.ca.cert },
        grafanaConfig: proxyKeys(proxy.port, {
          GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_NAME: "localhost",
          GF_SECURE_SOCKS_DATASOURCE_PROXY_ROOT_CA_CERT_VALS: pki.ca.cert,
        }),
      }),
    };
    const error = await client({ pluginContext })
      .fetch("/d")
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(DownstreamError);
    expect(proxy.destinations).toHaveLength(1);
  });

  it("fails a connection the proxy refuses with a downstream error that does not show the password", async () => {
    const targetPort = await listen(createServer(target));
    const proxy = await socksProxy("right-pw");
    const http = client({
      pluginContext: testPluginContext({
        url: `http://127.0.0.1:${targetPort}`,
        jsonData: { enableSecureSocksProxy: true },
        secureJsonData: { secureSocksProxyPassword: "wrong-pw" },
        grafanaConfig: proxyKeys(proxy.port, { GF_SECURE_SOCKS_DATASOURCE_PROXY_ALLOW_INSECURE: "true" }),
      }),
    });
    const error = await http.fetch("/").then(
      () => {
        throw new Error("expected a rejection");
      },
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(DownstreamError);
    expect((error as DownstreamError).status).toBe(502);
    expect(error.message).toMatch(
      new RegExp(
        `^GET http://127\\.0\\.0\\.1:${targetPort}/: secure socks proxy 127\\.0\\.0\\.1:${proxy.port}: `,
      ),
    );
    expect(error.message).not.toContain("wrong-pw");
    expect(proxy.destinations).toEqual([]);
  });

  it("names the proxy when it cannot be reached", async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise((r) => server.close(r));
    const http = client({
      pluginContext: testPluginContext({
        url: "http://127.0.0.1:8080/",
        jsonData: { enableSecureSocksProxy: true },
        grafanaConfig: proxyKeys(port, { GF_SECURE_SOCKS_DATASOURCE_PROXY_ALLOW_INSECURE: "true" }),
      }),
    });
    const error = (await http.fetch("/").catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(DownstreamError);
    expect(error.message).toBe(
      `GET http://127.0.0.1:8080/: secure socks proxy 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it("falls back to the deprecated GF_SECURE_SOCKS_DATASOURCE_PROXY_* variables and their PEM files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gfsdk-pdc-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const targetPort = await listen(createServer(target));
    const proxy = await socksProxy("proxy-pw", {
      cert: pki.server.cert,
      key: pki.server.key,
      ca: pki.ca.cert,
    });
    const vars: Record<string, string> = {
      GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_ENABLED: "true",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_PROXY_ADDRESS: `127.0.0.1:${proxy.port}`,
      GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_NAME: "localhost",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_CLIENT_CERT: file("client.pem", pki.client.cert),
      GF_SECURE_SOCKS_DATASOURCE_PROXY_CLIENT_KEY: file("client-key.pem", pki.client.key),
      GF_SECURE_SOCKS_DATASOURCE_PROXY_ROOT_CA_CERT: file("ca.pem", pki.ca.cert),
    };
    Object.assign(process.env, vars);
    let http: HttpClient;
    try {
      http = client({
        pluginContext: testPluginContext({
          url: `http://127.0.0.1:${targetPort}`,
          jsonData: { enableSecureSocksProxy: true },
          secureJsonData: { secureSocksProxyPassword: "proxy-pw" },
        }),
      });
    } finally {
      for (const k of Object.keys(vars)) delete process.env[k];
    }
    expect(await (await http.fetch("/e")).text()).toBe("hello /e");
    expect(proxy.destinations).toEqual([`127.0.0.1:${targetPort}`]);
  });
});
