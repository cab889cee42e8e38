import { createLogger, definePlugin } from "@gfsdk/core";
import { createGrpcPluginClient, type GrpcPluginClient } from "@gfsdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcServer, type GrpcServer } from "./grpc-server.js";
import { createUnixSocketPath } from "./unix-socket-path.js";

const decoder = new TextDecoder();

const echo = definePlugin({
  callResource: (request, context) =>
    Response.json(
      { url: request.url, path: context.path, headers: [...request.headers] },
      { headers: { connection: "x-hop", "x-hop": "1", "transfer-encoding": "chunked", "x-kept": "1" } },
    ),
});

let server: GrpcServer;
let client: GrpcPluginClient;
beforeAll(async () => {
  server = await createGrpcServer(echo, {
    listen: { network: "unix", path: await createUnixSocketPath() },
    logger: createLogger({ write: () => {} }),
    metrics: false,
  });
  client = createGrpcPluginClient(server.address);
});
afterAll(async () => {
  client.close();
  await server.shutdown();
});

async function call(path: string, headers: Record<string, string[]> = {}) {
  const messages = [];
  for await (const m of client.resource.callResource({
    path,
    url: `/api/plugins/p/resources${path}?q=%2F`,
    method: "GET",
    headers: Object.fromEntries(Object.entries(headers).map(([k, values]) => [k, { values }])),
  })) {
    messages.push(m);
  }
  const first = messages[0];
  const text = decoder.decode(first?.body);
  // The handler answers JSON; a refused request is the SDK's plain-text 400.
  const body = (first?.code === 200 ? JSON.parse(text) : undefined) as {
    url: string;
    path: string;
    headers: string[][];
  };
  return { code: first?.code, headers: first?.headers ?? {}, body, text };
}

describe("createGrpcServer CallResource", () => {
  it.each([
    ["/a/../../etc/passwd", "/etc/passwd"],
    ["/%2e%2e/%2E%2E/x", "/x"],
    ["/a%2Fb%00c", "/a%2Fb%00c"],
    ["/a%252e%252e/b", "/a%252e%252e/b"],
    ["/a\\..\\b", "/b"],
    ["//evil.example/x", "//evil.example/x"],
  ])("hands the handler path %j as %j on the resource origin", async (path, expected) => {
    const { code, body } = await call(path);
    expect(code).toBe(200);
    expect(body.url).toBe(`http://grafana-plugin.invalid${expected}?q=%2F`);
    expect(body.path).toBe(path);
  });

  it("answers a path with NUL with a 400 naming it, and keeps serving", async () => {
    const { code, text } = await call("/a\u0000b");
    expect(code).toBe(400);
    expect(text).toBe("invalid resource path: it holds the control character U+0000");
    expect((await call("/ok")).code).toBe(200);
  });

  it("forwards no hop-by-hop header either way", async () => {
    const { headers, body } = await call("/h", {
      Connection: ["x-hop-in"],
      "X-Hop-In": ["1"],
      "Keep-Alive": ["timeout=5"],
      "Content-Length": ["12345"],
      "X-Kept-In": ["1"],
    });
    expect(body.headers).toEqual([["x-kept-in", "1"]]);
    expect(Object.keys(headers).sort()).toEqual(["content-type", "x-kept"]);
  });
});
