import { describe, expect, expectTypeOf, it } from "vitest";
import { responseErrorSource } from "./error-response.js";
import { PluginError } from "./plugin-error.js";
import { createResourceRouter, type ResourceRoutes, type RouteParams } from "./resource-router.js";

interface Ctx {
  user: string;
}

/** Stands for definePlugin: a generic function taking an object literal of routes. */
function defineRoutes<R>(routes: ResourceRoutes<Ctx, R>): ResourceRoutes<Ctx, R> {
  return routes;
}

describe("RouteParams", () => {
  it("types the params of a pattern", () => {
    expectTypeOf<RouteParams<"GET /tables/:name/rows/:id">>().toEqualTypeOf<{ name: string; id: string }>();
    // biome-ignore lint/complexity/noBannedTypes: a pattern without params has exactly no keys.
    expectTypeOf<RouteParams<"GET /tables">>().toEqualTypeOf<{}>();
    expectTypeOf<RouteParams<"GET /a/:id?">>().toEqualTypeOf<{ id?: string | undefined }>();
    expectTypeOf<RouteParams<"GET /files/*">>().toEqualTypeOf<{ "0": string }>();
    expectTypeOf<RouteParams<"GET /n/:id(\\d+)/x/*">>().toEqualTypeOf<{ id: string; "0": string }>();
    expectTypeOf<RouteParams<"GET /books{/:id}?">>().toEqualTypeOf<{ id?: string | undefined }>();
    expectTypeOf<RouteParams<"GET /a/:first-:last">>().toEqualTypeOf<{ first: string; last: string }>();
    // biome-ignore lint/complexity/noBannedTypes: an escaped ":" is no param.
    expectTypeOf<RouteParams<"GET /a\\:b">>().toEqualTypeOf<{}>();
    expectTypeOf<RouteParams<"GET /a/:id+">>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RouteParams<"GET /a/*/b/*?">>().toEqualTypeOf<{ "0": string; "1"?: string | undefined }>();
  });
});

describe("ResourceRoutes", () => {
  it("infers ctx.params of each handler from its key", () => {
    const router = createResourceRouter(defineRoutes({ "GET /a": () => new Response() }));
    expectTypeOf(router).parameter(1).toEqualTypeOf<Ctx>();
    defineRoutes({
      "GET /x/:id": (_request, ctx) => {
        expectTypeOf(ctx.params).toEqualTypeOf<{ id: string }>();
        expectTypeOf(ctx.user).toEqualTypeOf<string>();
        // @ts-expect-error a param that is not in the pattern
        ctx.params.name;
        return new Response(ctx.params.id);
      },
      "POST /y/:a/:b": async (request, ctx) => {
        expectTypeOf(request).toEqualTypeOf<Request>();
        expectTypeOf(ctx.params).toEqualTypeOf<{ a: string; b: string }>();
        return new Response();
      },
    });
    // Without a context type, each handler still gets its params.
    createResourceRouter({
      "GET /z/:zed": (_request, ctx) => {
        expectTypeOf(ctx.params).toEqualTypeOf<{ zed: string }>();
        return new Response(ctx.params.zed);
      },
    });
  });

  it("infers params next to other inferred types, as in definePlugin's options", () => {
    /** Stands for definePlugin: the instance type inferred from createInstance, routes beside it. */
    function definePluginLike<I, R>(options: {
      createInstance: () => I;
      routes: ResourceRoutes<{ instance: I }, R>;
    }): typeof options {
      return options;
    }
    definePluginLike({
      createInstance: () => ({ tables: () => ["a"] }),
      routes: {
        "GET /tables/:name": (_request, ctx) => {
          expectTypeOf(ctx.instance.tables()).toEqualTypeOf<string[]>();
          expectTypeOf(ctx.params).toEqualTypeOf<{ name: string }>();
          return Response.json(ctx.instance.tables());
        },
      },
    });
  });

  it("refuses a key that is no route key", () => {
    defineRoutes({
      // @ts-expect-error lower-case method
      "get /x": () => new Response(),
    });
    defineRoutes({
      // @ts-expect-error no leading slash
      "GET x": () => new Response(),
    });
  });
});

const ctx: Ctx = { user: "admin" };

/** A request for `path` (with its query) on the resource origin. */
function req(method: string, path: string, body?: string): Request {
  return new Request(`http://grafana-plugin.invalid${path}`, { method, body });
}

describe("createResourceRouter", () => {
  const router = createResourceRouter(
    defineRoutes({
      "GET /tables": () => Response.json(["a", "b"]),
      "GET /tables/:name": (_r, c) => Response.json({ name: c.params.name, user: c.user }),
      "DELETE /tables/:name": () => new Response(null, { status: 204 }),
      "GET /tables/:name/rows/:id": (_r, c) => Response.json(c.params),
      "POST /echo": (r) => new Response(r.body, { headers: { "content-type": "text/plain" } }),
      "GET /files/*": (_r, c) => Response.json(c.params),
      "GET /opt/:id?": (_r, c) => Response.json({ id: c.params.id ?? null }),
      "GET /head": () => new Response("body", { status: 203, headers: { "x-kind": "get" } }),
      "GET /own-head": () => new Response("get"),
      "HEAD /own-head": () => new Response(null, { headers: { "x-kind": "head" } }),
      "GET /fail": () => {
        throw new PluginError("the database is down", { status: 503, source: "downstream" });
      },
      "GET /bug": () => {
        throw new TypeError("x is undefined");
      },
      "GET /not-a-response": () => ({ rows: [] }) as never,
    }),
  );

  it("calls the route of the method and path with the params and the call's context", async () => {
    const list = await router(req("GET", "/tables"), ctx);
    expect(await list.json()).toEqual(["a", "b"]);
    const one = await router(req("GET", "/tables/users?x=1"), ctx);
    expect(await one.json()).toEqual({ name: "users", user: "admin" });
    const row = await router(req("GET", "/tables/users/rows/42"), ctx);
    expect(await row.json()).toEqual({ name: "users", id: "42" });
    expect((await router(req("DELETE", "/tables/users"), ctx)).status).toBe(204);
  });

  it("percent-decodes params", async () => {
    const res = await router(req("GET", "/tables/a%20b%2Fc%C3%A9/rows/%3F"), ctx);
    expect(await res.json()).toEqual({ name: "a b/cé", id: "?" });
  });

  it("answers a bad percent-encoding in a param with a 400", async () => {
    const res = await router(req("GET", "/tables/%C3"), ctx);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: 'invalid resource path: "%C3" is not percent-encoded UTF-8',
    });
  });

  it("matches wildcards and optional params", async () => {
    expect(await (await router(req("GET", "/files/a/b.txt"), ctx)).json()).toEqual({ "0": "a/b.txt" });
    expect(await (await router(req("GET", "/opt"), ctx)).json()).toEqual({ id: null });
    expect(await (await router(req("GET", "/opt/7"), ctx)).json()).toEqual({ id: "7" });
  });

  it("streams a request body through to the response", async () => {
    const res = await router(req("POST", "/echo", "hello"), ctx);
    expect(await res.text()).toBe("hello");
  });

  it("answers an unmatched path with a JSON 404", async () => {
    const res = await router(req("GET", "/nothing/here"), ctx);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ message: "no resource route matches /nothing/here" });
  });

  it("answers a matched path with another method with a 405 and Allow", async () => {
    const res = await router(req("PUT", "/tables/users"), ctx);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("DELETE, GET, HEAD");
    expect(await res.json()).toEqual({
      message: "method PUT is not allowed for /tables/users (allowed: DELETE, GET, HEAD)",
    });
    const post = await router(req("GET", "/echo"), ctx);
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("POST");
  });

  it("answers HEAD with the GET route's status and headers, without the body, when no HEAD route exists", async () => {
    const res = await router(req("HEAD", "/head"), ctx);
    expect(res.status).toBe(203);
    expect(res.headers.get("x-kind")).toBe("get");
    expect(res.body).toBeNull();
    const own = await router(req("HEAD", "/own-head"), ctx);
    expect(own.headers.get("x-kind")).toBe("head");
  });

  it("answers a thrown error with errorResponse, its status and source kept", async () => {
    const fail = await router(req("GET", "/fail"), ctx);
    expect(fail.status).toBe(503);
    expect(await fail.json()).toEqual({ message: "the database is down" });
    expect(responseErrorSource(fail)).toBe("downstream");
    const bug = await router(req("GET", "/bug"), ctx);
    expect(bug.status).toBe(500);
    expect(await bug.json()).toEqual({ message: "x is undefined" });
    expect(responseErrorSource(bug)).toBe("plugin");
  });

  it("answers an error thrown after the call's deadline with a 504, using ctx.signal", async () => {
    const controller = new AbortController();
    const routes: ResourceRoutes<{ signal: AbortSignal }, { "GET /slow": unknown }> = {
      "GET /slow": (_r, c) => {
        controller.abort(new DOMException("deadline exceeded", "TimeoutError"));
        c.signal.throwIfAborted();
        return new Response("never");
      },
    };
    const timed = createResourceRouter(routes);
    const res = await timed(req("GET", "/slow"), { signal: controller.signal });
    expect(res.status).toBe(504);
  });

  it("answers a handler's value that is no Response with a 500 naming the route", async () => {
    const res = await router(req("GET", "/not-a-response"), ctx);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      message: 'the handler of "GET /not-a-response" returned object, not a web Response',
    });
  });

  it("tries routes in the order written", async () => {
    const ordered = createResourceRouter(
      defineRoutes({
        "GET /items/new": () => new Response("literal"),
        "GET /items/:id": () => new Response("param"),
      }),
    );
    expect(await (await ordered(req("GET", "/items/new"), ctx)).text()).toBe("literal");
    expect(await (await ordered(req("GET", "/items/7"), ctx)).text()).toBe("param");
  });

  it("sends what no route matches, by path or by method, to the fallback", async () => {
    const seen: string[] = [];
    const withFallback = createResourceRouter(defineRoutes({ "GET /a": () => new Response("a") }), {
      fallback: (request, c) => {
        seen.push(`${request.method} ${new URL(request.url).pathname} ${c.user}`);
        return new Response("fallback", { status: 202 });
      },
    });
    expect(await (await withFallback(req("GET", "/a"), ctx)).text()).toBe("a");
    expect((await withFallback(req("GET", "/b"), ctx)).status).toBe(202);
    expect((await withFallback(req("POST", "/a"), ctx)).status).toBe(202);
    expect(seen).toEqual(["GET /b admin", "POST /a admin"]);
    const failing = createResourceRouter(defineRoutes({}), {
      fallback: () => {
        throw new PluginError("nope", { status: 418 });
      },
    });
    expect((await failing(req("GET", "/x"), ctx)).status).toBe(418);
  });

  it("refuses a bad route key when it is created, naming it", () => {
    const bad = (routes: Record<string, unknown>) => () =>
      createResourceRouter(routes as ResourceRoutes<Ctx, never>);
    expect(bad({ "GET x": () => new Response() })).toThrow(
      'invalid route "GET x": a route is "METHOD /pattern", one space apart, the pattern starting with "/"',
    );
    expect(bad({ "GET  /x": () => new Response() })).toThrow('invalid route "GET  /x"');
    expect(bad({ "/x": () => new Response() })).toThrow('invalid route "/x"');
    expect(bad({ "get /x": () => new Response() })).toThrow(
      'invalid route "get /x": the method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (upper case)',
    );
    expect(bad({ "TRACE /x": () => new Response() })).toThrow('invalid route "TRACE /x": the method must be');
    expect(bad({ "GET /x/:": () => new Response() })).toThrow(/^invalid route "GET \/x\/:": /);
    expect(bad({ "GET /x/(": () => new Response() })).toThrow(/^invalid route "GET \/x\/\(": /);
    expect(bad({ "GET /x": "not a function" })).toThrow(
      'invalid route "GET /x": its handler is string, not a function',
    );
  });
});
