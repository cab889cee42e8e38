import { describe, expect, it } from "vitest";
import { definePlugin } from "./plugin.js";
import { DownstreamError } from "./plugin-error.js";
import { clientFor, dsContext } from "./testing/service-client.js";

const decoder = new TextDecoder();

async function call(
  client: ReturnType<typeof clientFor>["client"],
  method: string,
  path: string,
  pluginContext = dsContext({}),
) {
  const messages = [];
  for await (const m of client.resource.callResource({ pluginContext, method, path, url: `/r/${path}` })) {
    messages.push(m);
  }
  const first = messages[0]!;
  return {
    code: first.code,
    errorSource: first.errorSource,
    headers: Object.fromEntries(Object.entries(first.headers).map(([k, v]) => [k, v.values.join(", ")])),
    body: messages.map((m) => decoder.decode(m.body)).join(""),
  };
}

describe("createResourceService", () => {
  const plugin = definePlugin({
    createInstance: () => ({ tables: ["a", "b"] }),
    routes: {
      "GET /tables": (_request, ctx) => Response.json(ctx.instance.tables),
      "GET /tables/:name": (_request, ctx) =>
        Response.json({ name: ctx.params.name, path: ctx.path, url: ctx.url.pathname, raw: ctx.rawUrl }),
      "POST /tables/:name": () => {
        throw new DownstreamError("the database refused", { status: 503 });
      },
      "DELETE /secret": (_request, ctx) => {
        throw new Error(`cannot log in with ${ctx.secureJsonData.apiKey}`);
      },
    },
  });
  const { client } = clientFor(plugin);

  it("routes by method and pattern, with params, path and URL in the context", async () => {
    expect(await call(client, "GET", "tables")).toMatchObject({
      code: 200,
      body: '["a","b"]',
      errorSource: "",
    });
    const one = await call(client, "GET", "tables/x%20y");
    expect(JSON.parse(one.body)).toEqual({
      name: "x y",
      path: "tables/x%20y",
      url: "/r/tables/x%20y",
      raw: "/r/tables/x%20y",
    });
  });

  it("answers 404 for an unknown path and 405 with Allow for another method", async () => {
    expect(await call(client, "GET", "nothing")).toMatchObject({ code: 404 });
    const wrong = await call(client, "PUT", "tables/x");
    expect(wrong.code).toBe(405);
    expect(wrong.headers.allow).toBe("GET, HEAD, POST");
  });

  it("answers a thrown DownstreamError with its status and errorSource downstream", async () => {
    const res = await call(client, "POST", "tables/x");
    expect(res).toMatchObject({ code: 503, errorSource: "downstream" });
    expect(JSON.parse(res.body)).toEqual({ message: "the database refused" });
  });

  it("masks this plugin's secrets in a thrown error's answer", async () => {
    const res = await call(client, "DELETE", "secret", dsContext({}, 1n, { apiKey: "resource-secret-key" }));
    expect(res).toMatchObject({ code: 500, errorSource: "plugin" });
    expect(res.body).toBe('{"message":"cannot log in with [redacted]"}');
  });

  it("sends what the routes do not match to callResource", async () => {
    const { client: withFallback } = clientFor(
      definePlugin({
        routes: { "GET /a": () => new Response("a") },
        callResource: (request, ctx) =>
          new Response(`fallback ${request.method} ${ctx.path} ${JSON.stringify(ctx.params)}`),
      }),
    );
    expect((await call(withFallback, "GET", "a")).body).toBe("a");
    expect((await call(withFallback, "POST", "a")).body).toBe("fallback POST a {}");
    expect((await call(withFallback, "GET", "zzz")).body).toBe("fallback GET zzz {}");
  });
});
