import { errorResponse } from "./error-response.js";
import { PluginError } from "./plugin-error.js";

/** The HTTP methods a route key may name. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

const httpMethods: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/**
 * A route key: an upper-case method, one space, and a `URLPattern` pathname pattern starting with
 * `/` (`"GET /tables/:name"`, `"POST /echo"`, `"GET /files/*"`).
 */
export type RouteKey = `${HttpMethod} /${string}`;

type IdentifierChar =
  | "_"
  | "$"
  | "0"
  | "1"
  | "2"
  | "3"
  | "4"
  | "5"
  | "6"
  | "7"
  | "8"
  | "9"
  | Lowercase<Alphabet>
  | Alphabet;
type Alphabet =
  | "A"
  | "B"
  | "C"
  | "D"
  | "E"
  | "F"
  | "G"
  | "H"
  | "I"
  | "J"
  | "K"
  | "L"
  | "M"
  | "N"
  | "O"
  | "P"
  | "Q"
  | "R"
  | "S"
  | "T"
  | "U"
  | "V"
  | "W"
  | "X"
  | "Y"
  | "Z";

/** The `:name` after a `:`: its identifier characters, and the pattern text after them. */
type ReadName<S extends string, Name extends string = ""> = S extends `${infer C}${infer Rest}`
  ? C extends IdentifierChar
    ? ReadName<Rest, `${Name}${C}`>
    : [Name, S]
  : [Name, S];

/** Pattern text after a `(regexp)` group (to its first `)`; route patterns do not nest them). */
type SkipRegExp<S extends string> = S extends `(${string})${infer Rest}` ? Rest : S;

/** Whether a group modifier (`?` optional, `*` zero or more) makes the group optional. */
type IsOptional<S extends string> = S extends `?${string}` | `*${string}` ? true : false;

/**
 * The parameters of a pathname pattern, walked one character at a time: `Req` the names always
 * present, `Opt` those that may be absent (with a `?` or `*` modifier, or inside a `{…}` group,
 * which is optional when it has a modifier; typed optional in any case, to stay sound without a
 * look-ahead), `N` the count of unnamed groups (`*`, `(regexp)`), which `URLPattern` names "0", "1"….
 */
type Walk<
  S extends string,
  Req extends string = never,
  Opt extends string = never,
  N extends unknown[] = [],
  InGroup extends boolean = false,
> = S extends `\\${string}${infer Rest}`
  ? Walk<Rest, Req, Opt, N, InGroup>
  : S extends `:${infer Rest}`
    ? ReadName<Rest> extends [infer Name extends string, infer After extends string]
      ? InGroup extends true
        ? Walk<SkipRegExp<After>, Req, Opt | Name, N, InGroup>
        : IsOptional<SkipRegExp<After>> extends true
          ? Walk<SkipRegExp<After>, Req, Opt | Name, N, InGroup>
          : Walk<SkipRegExp<After>, Req | Name, Opt, N, InGroup>
      : never
    : S extends `*${infer Rest}`
      ? Unnamed<Rest, Req, Opt, N, InGroup>
      : S extends `(${string})${infer Rest}`
        ? Unnamed<Rest, Req, Opt, N, InGroup>
        : S extends `{${infer Rest}`
          ? Walk<Rest, Req, Opt, N, true>
          : S extends `}${infer Rest}`
            ? Walk<Rest, Req, Opt, N, false>
            : S extends `${string}${infer Rest}`
              ? Walk<Rest, Req, Opt, N, InGroup>
              : [Req, Opt];

/** {@link Walk} after an unnamed group (`*` or `(regexp)`), named by its index. */
type Unnamed<
  Rest extends string,
  Req extends string,
  Opt extends string,
  N extends unknown[],
  InGroup extends boolean,
> = InGroup extends true
  ? Walk<Rest, Req, Opt | `${N["length"]}`, [...N, 0], InGroup>
  : IsOptional<Rest> extends true
    ? Walk<Rest, Req, Opt | `${N["length"]}`, [...N, 0], InGroup>
    : Walk<Rest, Req | `${N["length"]}`, Opt, [...N, 0], InGroup>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The params of a pathname pattern, from its {@link Walk}. */
type PatternParams<P extends string> =
  Walk<P> extends [infer Req extends string, infer Opt extends string]
    ? Simplify<{ [K in Req]: string } & { [K in Exclude<Opt, Req>]?: string | undefined }>
    : never;

/**
 * The parameters of a route key, typed from its pattern: `RouteParams<"GET /tables/:name/rows/:id">`
 * is `{ name: string; id: string }`; `:id?` and params in `{…}` groups are optional; unnamed `*`
 * and `(regexp)` groups are `"0"`, `"1"`… as `URLPattern` names them. Values are percent-decoded.
 */
export type RouteParams<Key extends string> = Key extends `${HttpMethod} ${infer Pattern}`
  ? PatternParams<Pattern>
  : never;

/** What a route's handler gets: the call's context and the params its pattern matched. */
export type RouteContext<Ctx, Key extends string> = Omit<Ctx, "params"> & { params: RouteParams<Key> };

/** The handler of one route: a web `Request` in, a web `Response` out. */
export type RouteHandler<Ctx, Key extends string> = (
  request: Request,
  ctx: RouteContext<Ctx, Key>,
) => Response | Promise<Response>;

/**
 * A map of routes, from each {@link RouteKey} to its {@link RouteHandler}. Mapped over the keys of
 * `R` (the author's object literal) so that each handler's `ctx.params` is typed from its own key;
 * a key that is no route key makes its handler `never`, which fails the typecheck.
 */
export type ResourceRoutes<Ctx, R> = {
  [K in keyof R]: K extends RouteKey ? RouteHandler<Ctx, K> : never;
};

/** The handler of a request no route matches. */
export type ResourceFallback<Ctx> = (request: Request, ctx: Ctx) => Response | Promise<Response>;

/** Options of {@link createResourceRouter}. */
export interface ResourceRouterOptions<Ctx> {
  /**
   * Answers every request that no route matches by method and path (instead of the router's 404
   * or 405), like a catch-all pattern in Go's `http.ServeMux`. Default: none.
   */
  fallback?: ResourceFallback<Ctx> | undefined;
}

/** A router: answers each request by its route (see {@link createResourceRouter}). Never rejects. */
export type ResourceRouter<Ctx> = (request: Request, ctx: Ctx) => Promise<Response>;

interface CompiledRoute {
  key: string;
  method: HttpMethod;
  pattern: URLPattern;
  handler: (request: Request, ctx: unknown) => Response | Promise<Response>;
}

const routeKeyPattern = /^([A-Za-z]+) (\/.*)$/;

/** The route of one key, or a TypeError naming what is wrong with it. */
function compileRoute(key: string, handler: unknown): CompiledRoute {
  const parts = routeKeyPattern.exec(key);
  if (!parts) {
    throw new TypeError(
      `invalid route ${JSON.stringify(key)}: a route is "METHOD /pattern", one space apart, the pattern starting with "/"`,
    );
  }
  const method = parts[1] as HttpMethod;
  if (!httpMethods.includes(method)) {
    throw new TypeError(
      `invalid route ${JSON.stringify(key)}: the method must be one of ${httpMethods.join(", ")} (upper case)`,
    );
  }
  if (typeof handler !== "function") {
    throw new TypeError(
      `invalid route ${JSON.stringify(key)}: its handler is ${typeof handler}, not a function`,
    );
  }
  let pattern: URLPattern;
  try {
    pattern = new URLPattern({ pathname: parts[2] });
  } catch (error) {
    throw new TypeError(
      `invalid route ${JSON.stringify(key)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { key, method, pattern, handler: handler as CompiledRoute["handler"] };
}

/** The matched groups, percent-decoded; a bad percent-encoding is the caller's 400. */
function decodeParams(groups: Record<string, string | undefined>): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(groups)) {
    if (value === undefined) {
      params[name] = undefined;
      continue;
    }
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw new PluginError(`invalid resource path: ${JSON.stringify(value)} is not percent-encoded UTF-8`, {
        status: 400,
      });
    }
  }
  return params;
}

/** A JSON `{ message }` answer of the router itself. */
function routerResponse(status: number, message: string, headers?: Record<string, string>): Response {
  return Response.json({ message }, { status, headers });
}

/** The answer to HEAD from a GET handler's answer: its status and headers, without the body. */
function withoutBody(response: Response): Response {
  void response.body?.cancel().catch(() => {});
  return new Response(null, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * A resource router over web `Request`/`Response`. `routes` maps `"METHOD /pattern"` keys
 * ({@link RouteKey}; `URLPattern` pathname syntax: `:param`, `:param?`, `*`, `{…}?`, `(regexp)`)
 * to handlers, which get the call's `ctx` with `params` typed from the pattern and percent-decoded.
 * Routes are tried in the order written; the first whose method and pattern match answers.
 * - HEAD is answered by the GET route of the path when there is no HEAD route, without the body.
 * - No route for the method, but one for the path: 405 with an `Allow` header listing the path's
 *   methods (HEAD added where GET is), as Go's `http.ServeMux` answers.
 * - No route for the path: 404. Both have a JSON body `{ "message": … }`, and both go to
 *   `options.fallback` instead when there is one.
 * - A handler's thrown error, or a value that is not a `Response`, is answered by `errorResponse`
 *   (with `ctx.signal` when the context has one).
 * A route key that is not `"METHOD /pattern"`, names another method, or whose pattern `URLPattern`
 * refuses, throws a TypeError naming it here, when the router is created. Needs `URLPattern`
 * (a global since Node 23.8; on an older Node this throws a TypeError saying so).
 */
export function createResourceRouter<Ctx, R>(
  routes: ResourceRoutes<Ctx, R>,
  options: ResourceRouterOptions<Ctx> = {},
): ResourceRouter<Ctx> {
  if (typeof globalThis.URLPattern !== "function") {
    // The global, not `node:url`: a named import missing from an older Node fails the whole module.
    throw new TypeError(
      "the resource router needs URLPattern, a global from Node 23.8 (Node 24 is recommended)",
    );
  }
  const compiled = Object.entries(routes as Record<string, unknown>).map(([key, handler]) =>
    compileRoute(key, handler),
  );
  const fallback = options.fallback;
  if (fallback !== undefined && typeof fallback !== "function") {
    throw new TypeError(`the resource router's fallback is ${typeof fallback}, not a function`);
  }

  const answer = async (
    what: string,
    signal: AbortSignal | undefined,
    run: () => Response | Promise<Response>,
    transform?: (response: Response) => Response,
  ): Promise<Response> => {
    try {
      const response = await run();
      if (!(response instanceof Response)) {
        throw new PluginError(
          `${what} returned ${response === null ? "null" : typeof response}, not a web Response`,
        );
      }
      return transform ? transform(response) : response;
    } catch (error) {
      return errorResponse(error, signal);
    }
  };

  return async (request, ctx) => {
    // The call's signal when the context has one (the SDK's always does): a timeout is a 504.
    const ctxSignal = (ctx as { signal?: unknown } | null | undefined)?.signal;
    const signal = ctxSignal instanceof AbortSignal ? ctxSignal : undefined;
    const pathname = new URL(request.url).pathname;
    const method = request.method.toUpperCase();
    const allowed = new Set<string>();
    let getRoute: { route: CompiledRoute; groups: Record<string, string | undefined> } | undefined;
    for (const route of compiled) {
      const match = route.pattern.exec({ pathname });
      if (!match) continue;
      if (route.method === method) {
        return answer(`the handler of "${route.key}"`, signal, () => {
          const params = decodeParams(match.pathname.groups);
          return route.handler(request, { ...ctx, params });
        });
      }
      allowed.add(route.method);
      if (route.method === "GET") {
        allowed.add("HEAD");
        getRoute ??= { route, groups: match.pathname.groups };
      }
    }
    if (method === "HEAD" && getRoute) {
      const { route, groups } = getRoute;
      return answer(
        `the handler of "${route.key}"`,
        signal,
        () => route.handler(request, { ...ctx, params: decodeParams(groups) }),
        withoutBody,
      );
    }
    if (fallback) return answer("the resource fallback", signal, () => fallback(request, ctx));
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(", ");
      return routerResponse(405, `method ${method} is not allowed for ${pathname} (allowed: ${allow})`, {
        allow,
      });
    }
    return routerResponse(404, `no resource route matches ${pathname}`);
  };
}
