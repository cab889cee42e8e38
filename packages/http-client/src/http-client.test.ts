import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type ServerOptions } from "node:https";
import { type AddressInfo, connect } from "node:net";
import type { TLSSocket } from "node:tls";
import { DownstreamError, type Logger, PluginError } from "@gfsdk/core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient, type HttpClient } from "./http-client.js";
import { addDefaultHttpMiddleware, type HttpMiddleware } from "./http-middleware.js";
import { ResponseLimitError } from "./response-limit.js";
import { testPluginContext } from "./testing/plugin-context.js";
import { createTestPki, type TestPki } from "./testing/test-pki.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A local server on a free loopback port; closed after the test. */
async function serve(handler: Handler, tls?: ServerOptions): Promise<{ url: string; server: Server }> {
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? "https" : "http"}://127.0.0.1:${port}`, server };
}

/** Answers with the request's method, path and headers as JSON. */
const echo: Handler = (req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
};

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
}

async function echoed(response: Promise<Response>): Promise<Echo> {
  return (await (await response).json()) as Echo;
}

function client(...args: Parameters<typeof createHttpClient>): HttpClient {
  const c = createHttpClient(...args);
  cleanups.push(() => c.close());
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("createHttpClient", () => {
  it("sends Grafana's user agent and the data source's custom headers, resolving paths against the URL", async () => {
    const { url } = await serve(echo);
    const pluginContext = testPluginContext({
      url: `${url}/api/`,
      jsonData: {
        httpHeaderName1: "X-Scope-OrgID",
        httpHeaderName2: "X-Api-Key",
        httpHeaderName3: "X-No-Value",
      },
      secureJsonData: { httpHeaderValue1: "tenant-1", httpHeaderValue2: "key-secret" },
    });
    const http = client({ pluginContext });
    const res = await http.fetch("/v1/query?q=up", { headers: { "X-Api-Key": "replaced" } });
    const body = (await res.json()) as Echo;
    expect(res).toBeInstanceOf(Response);
    expect(body.url).toBe("/api/v1/query?q=up");
    expect(body.headers["user-agent"]).toBe("Grafana/12.1.0 (linux; amd64) test-datasource/1.2.3");
    expect(body.headers["x-scope-orgid"]).toBe("tenant-1");
    // Custom headers replace what the request set, as the Go SDK's.
    expect(body.headers["x-api-key"]).toBe("key-secret");
    expect(body.headers).not.toHaveProperty("x-no-value");
  });

  it("throws a 400 naming a custom header that HTTP cannot carry, without its value", () => {
    const bad = (name: string, value: string) => () =>
      createHttpClient({
        pluginContext: testPluginContext({
          jsonData: { httpHeaderName1: name },
          secureJsonData: { httpHeaderValue1: value },
        }),
      });
    expect(bad("Bad Header", "v")).toThrow('invalid custom header httpHeaderName1 "Bad Header"');
    expect(bad("X-Ok", "secret\nvalue")).toThrow(
      /^invalid custom header httpHeaderName1 "X-Ok": not a valid HTTP header name or value$/,
    );
  });

  it("writes `Grafana <plugin>/<version>` when Grafana sent no user agent, and keeps the request's own", async () => {
    const { url } = await serve(echo);
    const http = client({ pluginContext: testPluginContext({ url, userAgent: "" }) });
    expect((await echoed(http.fetch("/"))).headers["user-agent"]).toBe("Grafana test-datasource/1.2.3");
    const own = await echoed(http.fetch("/", { headers: { "user-agent": "mine/1" } }));
    expect(own.headers["user-agent"]).toBe("mine/1");
  });

  it("authenticates with basic auth from the settings unless the request has an Authorization", async () => {
    const { url } = await serve(echo);
    const http = client({
      pluginContext: testPluginContext({
        url,
        basicAuthEnabled: true,
        basicAuthUser: "alice",
        secureJsonData: { basicAuthPassword: "s3cret" },
      }),
    });
    const sent = (await echoed(http.fetch("/"))).headers.authorization;
    expect(sent).toBe(`Basic ${Buffer.from("alice:s3cret").toString("base64")}`);
    const own = await echoed(http.fetch("/", { headers: { authorization: "Bearer t" } }));
    expect(own.headers.authorization).toBe("Bearer t");
    // As the Go SDK: the data source `user` with secure `password` when basic auth is off.
    const legacy = client({
      pluginContext: testPluginContext({ url, user: "bob", secureJsonData: { password: "pw" } }),
    });
    expect((await echoed(legacy.fetch("/"))).headers.authorization).toBe(
      `Basic ${Buffer.from("bob:pw").toString("base64")}`,
    );
  });

  it("forwards the user's OAuth tokens and allow-listed cookies only when the data source enables them", async () => {
    const { url } = await serve(echo);
    const headers = {
      http_Authorization: "Bearer user-token",
      "http_X-Id-Token": "id-token",
      http_Cookie: "session=abc; keep=1; other=2",
    };
    const on = client({
      pluginContext: testPluginContext({
        url,
        jsonData: { oauthPassThru: true, keepCookies: ["keep", "session"] },
      }),
      headers,
    });
    const sent = (await echoed(on.fetch("/"))).headers;
    expect(sent.authorization).toBe("Bearer user-token");
    expect(sent["x-id-token"]).toBe("id-token");
    expect(sent.cookie).toBe("session=abc; keep=1");

    const off = client({ pluginContext: testPluginContext({ url }), headers });
    const none = (await echoed(off.fetch("/"))).headers;
    expect(none).not.toHaveProperty("authorization");
    expect(none).not.toHaveProperty("x-id-token");
    expect(none).not.toHaveProperty("cookie");

    // A resource call passes its request's headers; forCall shares the pool with another call's.
    const resource = off.forCall({ headers: new Headers({ Authorization: "Bearer r" }) });
    expect((await echoed(resource.fetch("/"))).headers).not.toHaveProperty("authorization");
    const pooled = on.forCall({ headers: new Headers({ Authorization: "Bearer r", Cookie: "keep=9; x=1" }) });
    const viaResource = (await echoed(pooled.fetch("/"))).headers;
    expect(viaResource.authorization).toBe("Bearer r");
    expect(viaResource.cookie).toBe("keep=9");
  });

  it("fails a request that exceeds jsonData.timeout with a downstream 504", async () => {
    const { url } = await serve(() => {}); // never answers
    const http = client({ pluginContext: testPluginContext({ url, jsonData: { timeout: 0.2 } }) });
    const error = await rejection(http.fetch("/slow?token=abc"));
    expect(error).toBeInstanceOf(DownstreamError);
    expect((error as DownstreamError).source).toBe("downstream");
    expect((error as DownstreamError).status).toBe(504);
    expect(error.message).toBe(`GET ${url}/slow: timed out after 0.2 s (jsonData.timeout)`);
  });

  it("leaves a cancellation by the caller as an abort, not a downstream failure", async () => {
    const { url } = await serve(() => {});
    const controller = new AbortController();
    const http = client({ pluginContext: testPluginContext({ url }), signal: controller.signal });
    const pending = rejection(http.fetch("/"));
    controller.abort(new Error("caller left"));
    const error = await pending;
    expect(error).not.toBeInstanceOf(DownstreamError);
    expect(error.message).toBe("caller left");
  });

  it("fails a refused connection with a downstream 502 naming the reason", async () => {
    const { url, server } = await serve(echo);
    await new Promise((r) => server.close(r));
    const http = client({ pluginContext: testPluginContext({ url }) });
    const error = await rejection(http.fetch("/x"));
    expect(error).toBeInstanceOf(DownstreamError);
    expect((error as DownstreamError).status).toBe(502);
    expect(error.message).toBe(`GET ${url}/x: connection refused (ECONNREFUSED)`);
  });

  it("sends request bodies, whole and streamed", async () => {
    const { url } = await serve(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      res.end(`${req.method} ${req.headers["content-type"]} ${body}`);
    });
    const http = client({ pluginContext: testPluginContext({ url }) });
    const whole = await http.fetch("/", {
      method: "POST",
      body: JSON.stringify({ a: 1 }),
      headers: { "content-type": "application/json" },
    });
    expect(await whole.text()).toBe('POST application/json {"a":1}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("part1,"));
        controller.enqueue(new TextEncoder().encode("part2"));
        controller.close();
      },
    });
    const streamed = await http.fetch(
      new Request(`${url}/s`, { method: "PUT", body: stream, duplex: "half" } as RequestInit),
    );
    expect(await streamed.text()).toBe("PUT undefined part1,part2");
  });

  it("answers an HTTP error status as a response, not an error", async () => {
    const { url } = await serve((_, res) => {
      res.statusCode = 503;
      res.end("down");
    });
    const res = await client({ pluginContext: testPluginContext({ url }) }).fetch("/");
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("down");
  });

  describe("response limit", () => {
    const big = "x".repeat(100);

    it("fails a streamed body over GF_RESPONSE_LIMIT with an error naming the limit", async () => {
      const { url } = await serve((_, res) => {
        res.write(big.slice(0, 50));
        res.end(big.slice(50));
      });
      const warnings: [string, unknown][] = [];
      const logger = {
        warn: (message: string, attributes?: unknown) => warnings.push([message, attributes]),
      };
      const http = client({
        pluginContext: testPluginContext({ url, grafanaConfig: { GF_RESPONSE_LIMIT: "64" } }),
        logger: logger as unknown as Logger,
      });
      const res = await http.fetch("/big");
      const error = await rejection(res.text());
      // Logged once, as the Go SDK does, with the data source and the limit.
      expect(warnings).toEqual([
        [
          "downstream response body exceeded limit",
          { datasource_uid: "ds-uid", datasource_name: "Test data source", limit_bytes: 64 },
        ],
      ]);
      expect(error).toBeInstanceOf(ResponseLimitError);
      expect(error).toBeInstanceOf(DownstreamError);
      expect(error.message).toBe(
        `response body of ${url}/big is larger than the response limit of 64 bytes (GF_RESPONSE_LIMIT)`,
      );
    });

    it("fails at once when Content-Length is over the limit, and passes a body at the limit", async () => {
      const { url } = await serve((req, res) => {
        const body = req.url === "/small" ? big.slice(0, 64) : big;
        res.setHeader("content-length", body.length);
        res.end(body);
      });
      const http = client({
        pluginContext: testPluginContext({ url, grafanaConfig: { GF_RESPONSE_LIMIT: "64" } }),
      });
      const error = await rejection(http.fetch("/big"));
      expect(error).toBeInstanceOf(ResponseLimitError);
      expect(error.message).toContain("Content-Length is 100");
      expect(await (await http.fetch("/small")).text()).toHaveLength(64);
    });
  });

  describe("TLS", () => {
    let pki: TestPki;
    beforeAll(async () => {
      pki = await createTestPki();
    });

    it("rejects a self-signed server certificate unless tlsSkipVerify is set", async () => {
      const { url } = await serve(echo, { cert: pki.selfSigned.cert, key: pki.selfSigned.key });
      const strict = client({ pluginContext: testPluginContext({ url }) });
      const error = await rejection(strict.fetch("/"));
      expect(error).toBeInstanceOf(DownstreamError);
      expect(error.message).toMatch(
        /^GET https:\/\/127\.0\.0\.1:\d+\/: TLS error: .*\(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
      );
      const skip = client({ pluginContext: testPluginContext({ url, jsonData: { tlsSkipVerify: true } }) });
      expect((await skip.fetch("/")).status).toBe(200);
    });

    it("trusts the data source's CA certificate with tlsAuthWithCACert", async () => {
      const { url } = await serve(echo, { cert: pki.server.cert, key: pki.server.key });
      const withCa = client({
        pluginContext: testPluginContext({
          url,
          jsonData: { tlsAuthWithCACert: true },
          secureJsonData: { tlsCACert: pki.ca.cert },
        }),
      });
      expect((await withCa.fetch("/")).status).toBe(200);
      // The CA is read only with tlsAuthWithCACert (or tlsAuth), as the Go SDK.
      const off = client({
        pluginContext: testPluginContext({ url, secureJsonData: { tlsCACert: pki.ca.cert } }),
      });
      expect(await rejection(off.fetch("/"))).toBeInstanceOf(DownstreamError);
      // serverName is checked against the certificate.
      const wrongName = client({
        pluginContext: testPluginContext({
          url,
          jsonData: { tlsAuthWithCACert: true, serverName: "other.example" },
          secureJsonData: { tlsCACert: pki.ca.cert },
        }),
      });
      expect((await rejection(wrongName.fetch("/"))).message).toMatch(
        /TLS error: .*ERR_TLS_CERT_ALTNAME_INVALID/,
      );
    });

    it("presents the data source's client certificate with tlsAuth", async () => {
      const { url } = await serve(
        (req, res) => res.end((req.socket as TLSSocket).getPeerCertificate().subject?.CN ?? "none"),
        {
          cert: pki.server.cert,
          key: pki.server.key,
          ca: pki.ca.cert,
          requestCert: true,
          rejectUnauthorized: true,
        },
      );
      const secure = { tlsCACert: pki.ca.cert, tlsClientCert: pki.client.cert, tlsClientKey: pki.client.key };
      const mtls = client({
        pluginContext: testPluginContext({
          url,
          jsonData: { tlsAuth: true, tlsAuthWithCACert: true },
          secureJsonData: secure,
        }),
      });
      expect(await (await mtls.fetch("/")).text()).toBe("gfsdk test client");
      const noCert = client({
        pluginContext: testPluginContext({
          url,
          jsonData: { tlsAuthWithCACert: true },
          secureJsonData: { tlsCACert: pki.ca.cert },
        }),
      });
      const error = await rejection(noCert.fetch("/"));
      expect(error).toBeInstanceOf(DownstreamError);
    });

    it("refuses a TLS 1.2 server when Grafana's pluginsForceTls13 toggle is on", async () => {
      const { url } = await serve(echo, {
        cert: pki.server.cert,
        key: pki.server.key,
        maxVersion: "TLSv1.2",
      });
      const trusted = { jsonData: { tlsAuthWithCACert: true }, secureJsonData: { tlsCACert: pki.ca.cert } };
      expect(
        (await client({ pluginContext: testPluginContext({ url, ...trusted }) }).fetch("/")).status,
      ).toBe(200);
      const forced = client({
        pluginContext: testPluginContext({
          url,
          ...trusted,
          grafanaConfig: { GF_INSTANCE_FEATURE_TOGGLES_ENABLE: "pluginsForceTls13" },
        }),
      });
      const error = await rejection(forced.fetch("/"));
      expect(error).toBeInstanceOf(DownstreamError);
      expect(error.message).toMatch(/: TLS error: .*\(ERR_SSL_/);
    });

    it("throws a 400 for a malformed key without showing it", () => {
      const key = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
      const error = (() => {
        try {
          createHttpClient({
            pluginContext: testPluginContext({
              jsonData: { tlsAuth: true },
              secureJsonData: { tlsClientCert: pki.client.cert, tlsClientKey: key },
            }),
          });
        } catch (e) {
          return e as PluginError;
        }
        throw new Error("expected a throw");
      })();
      expect(error).toBeInstanceOf(PluginError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^invalid TLS settings of the data source/);
      expect(error.message).not.toContain("bm90IGEga2V5");
    });
  });

  describe("HTTP_PROXY", () => {
    /**
     * A minimal CONNECT proxy that tunnels every destination to the local `port`, recording the
     * destinations asked for: written here because a kept proxy server would resolve the
     * destination's name, and a test must not reach beyond loopback.
     */
    async function tunnelProxy(port: number): Promise<{ url: string; asked: string[] }> {
      const asked: string[] = [];
      const proxy = await serve((_, res) => {
        res.statusCode = 405;
        res.end();
      });
      proxy.server.on("connect", (req: IncomingMessage, socket, head: Buffer) => {
        asked.push(req.url ?? "");
        const upstream = connect(port, "127.0.0.1", () => {
          socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          upstream.write(head);
          upstream.pipe(socket).pipe(upstream);
        });
        upstream.on("error", () => socket.destroy());
        socket.on("error", () => upstream.destroy());
      });
      return { url: proxy.url, asked };
    }

    async function withEnv<T>(vars: Record<string, string>, fn: () => T): Promise<Awaited<T>> {
      const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
      Object.assign(process.env, vars);
      try {
        return await fn();
      } finally {
        for (const [k, v] of Object.entries(before)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    }

    it("sends requests through the environment's proxy, as Go's ProxyFromEnvironment, but never for loopback", async () => {
      const target = await serve(echo);
      const proxy = await tunnelProxy(Number(new URL(target.url).port));
      const http = await withEnv({ HTTP_PROXY: proxy.url }, () =>
        client({ pluginContext: testPluginContext({ url: "http://downstream.test:8080" }) }),
      );
      expect((await echoed(http.fetch("/via-proxy"))).url).toBe("/via-proxy");
      expect(proxy.asked).toEqual(["downstream.test:8080"]);
      // Loopback targets go direct, as in Go.
      expect((await echoed(http.fetch(`${target.url}/direct`))).url).toBe("/direct");
      expect(proxy.asked).toHaveLength(1);
    });

    it("keeps the data source's TLS settings inside the tunnel", async () => {
      const pki = await createTestPki();
      const target = await serve(echo, { cert: pki.server.cert, key: pki.server.key });
      const proxy = await tunnelProxy(Number(new URL(target.url).port));
      const http = await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: "" }, () =>
        client({
          pluginContext: testPluginContext({
            url: "https://downstream.test",
            jsonData: { tlsAuthWithCACert: true, serverName: "localhost" },
            secureJsonData: { tlsCACert: pki.ca.cert },
          }),
        }),
      );
      expect((await echoed(http.fetch("/tls"))).url).toBe("/tls");
      expect(proxy.asked).toEqual(["downstream.test:443"]);
    });
  });

  describe("middlewares", () => {
    it("run around every request, first outermost, with the client's labels, and see transport failures", async () => {
      const { url } = await serve(echo);
      const seen: string[] = [];
      const tag: HttpMiddleware = async (request, next, info) => {
        seen.push(`outer ${info.labels.datasource_uid}`);
        const headers = new Headers(request.headers);
        headers.set("x-trace", "t1");
        const res = await next(new Request(request, { headers }));
        seen.push(`outer ${res.status}`);
        return res;
      };
      const inner: HttpMiddleware = async (request, next) => {
        seen.push(`inner ${request.headers.get("x-trace")}`);
        // Before the built-in steps: no credentials or custom header values yet.
        seen.push(`auth ${request.headers.get("authorization")} ${request.headers.get("x-key")}`);
        try {
          return await next(request);
        } catch (error) {
          seen.push(`inner ${(error as DownstreamError).source}`);
          throw error;
        }
      };
      const remove = addDefaultHttpMiddleware(tag);
      try {
        const pluginContext = testPluginContext({
          url,
          basicAuthEnabled: true,
          basicAuthUser: "u",
          jsonData: { httpHeaderName1: "X-Key" },
          secureJsonData: { basicAuthPassword: "p", httpHeaderValue1: "k" },
        });
        const http = client({ pluginContext }, { middlewares: [inner] });
        const sent = (await echoed(http.fetch("/"))).headers;
        expect(sent["x-trace"]).toBe("t1");
        expect(sent["x-key"]).toBe("k");
        expect(seen).toEqual(["outer ds-uid", "inner t1", "auth null null", "outer 200"]);
        seen.length = 0;
        await rejection(http.fetch("http://127.0.0.1:1/"));
        expect(seen).toEqual(["outer ds-uid", "inner t1", "auth null null", "inner downstream"]);
        const without = client({ pluginContext: testPluginContext({ url }) }, { defaultMiddlewares: false });
        seen.length = 0;
        await without.fetch("/");
        expect(seen).toEqual([]);
      } finally {
        remove();
      }
    });
  });

  describe("secrets", () => {
    it("never puts a secret in an error message or in the logged settings", async () => {
      const secrets = { basicAuthPassword: "pw-0001", httpHeaderValue1: "hv-0002", tlsClientKey: "" };
      const { url, server } = await serve(echo);
      await new Promise((r) => server.close(r));
      const pluginContext = testPluginContext({
        url,
        basicAuthEnabled: true,
        basicAuthUser: "u",
        jsonData: { httpHeaderName1: "X-Key" },
        secureJsonData: secrets,
      });
      const http = client({ pluginContext, headers: { http_Authorization: "Bearer tok-0003" } });
      // A secret in the path and in the query.
      const error = await rejection(http.fetch("/hv-0002/?key=tok-0003"));
      expect(error).toBeInstanceOf(DownstreamError);
      expect(error.message).toBe(`GET ${url}/[redacted]/: connection refused (ECONNREFUSED)`);
      // Credentials in a URL: fetch refuses it, and the message does not repeat them.
      const credentials = await rejection(http.fetch(url.replace("//", "//user:pw-0001@")));
      expect(credentials).toBeInstanceOf(PluginError);
      expect(credentials.message).toMatch(/^invalid HTTP request: /);
      expect(credentials.message).not.toContain("pw-0001");
      const logged = JSON.stringify(http.settings);
      for (const s of ["pw-0001", "hv-0002"]) expect(logged).not.toContain(s);
      expect(logged).toContain("ds-uid");
    });
  });
});
