import { createLogger, definePlugin } from "@gfsdk/core";
import { afterAll, describe, expect, it } from "vitest";
import { createInProcessClient } from "./in-process-client.js";

const decoder = new TextDecoder();

/** Echoes what the handler saw, and answers with hop-by-hop headers that must not reach the host. */
const echo = definePlugin({
  callResource: (request, context) =>
    Response.json(
      { url: request.url, path: context.path, rawUrl: context.rawUrl, headers: [...request.headers] },
      {
        headers: {
          connection: "close, x-hop",
          "x-hop": "1",
          "keep-alive": "timeout=5",
          "transfer-encoding": "chunked",
          upgrade: "h2c",
          "x-kept": "1",
        },
      },
    ),
});
const client = createInProcessClient(echo, { logger: createLogger({ write: () => {} }) });
afterAll(() => client.close());

async function call(path: string, url = "", headers: Record<string, string[]> = {}) {
  const messages = [];
  for await (const m of client.resource.callResource({
    path,
    url,
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
    rawUrl: string;
    headers: [string, string][];
  };
  return { code: first?.code, headers: first?.headers ?? {}, body, text };
}

describe("createInProcessClient CallResource", () => {
  it.each([
    ["/a/../../etc/passwd", "http://grafana-plugin.invalid/etc/passwd"],
    ["/%2e%2e/%2E%2E/x", "http://grafana-plugin.invalid/x"],
    ["/a%2Fb%00c", "http://grafana-plugin.invalid/a%2Fb%00c"],
    ["/a%252e%252e/b", "http://grafana-plugin.invalid/a%252e%252e/b"],
    ["/a\\..\\b", "http://grafana-plugin.invalid/b"],
    ["//evil.example/x", "http://grafana-plugin.invalid//evil.example/x"],
  ])("hands the handler path %j as %j, and the raw path in its context", async (path, url) => {
    const { code, body } = await call(path, `/api/plugins/p/resources${path}?q=1`);
    expect(code).toBe(200);
    expect(body.url).toBe(`${url}?q=1`);
    expect(body.path).toBe(path);
    expect(body.rawUrl).toBe(`/api/plugins/p/resources${path}?q=1`);
  });

  it.each([
    ["/a\u0000b", /invalid resource path: it holds the control character U\+0000/],
    ["/a%zz", /invalid resource path: "%zz" is not a percent-encoding/],
  ])("answers path %j with a 400 naming the problem, and keeps serving", async (path, message) => {
    const { code, text } = await call(path);
    expect(code).toBe(400);
    expect(text).toMatch(message);
    expect((await call("/ok")).code).toBe(200);
  });

  it("forwards no hop-by-hop header either way", async () => {
    const { headers, body } = await call("/h", "", {
      Connection: ["x-hop-in"],
      "X-Hop-In": ["1"],
      "Transfer-Encoding": ["chunked"],
      Upgrade: ["websocket"],
      "Content-Length": ["12345"],
      "X-Kept-In": ["1"],
    });
    expect(body.headers).toEqual([["x-kept-in", "1"]]);
    expect(Object.keys(headers).sort()).toEqual(["content-type", "x-kept"]);
  });
});
