import type { Logger, PluginContext } from "@gfsdk/core";

/** What a middleware knows about the client a request goes through. */
export interface HttpRequestInfo {
  /** The plugin context the client was made for. */
  pluginContext: PluginContext<unknown, unknown>;
  /** The Go SDK's client labels, for metrics and logs: data source name, uid and type. */
  labels: Readonly<{ datasource_name: string; datasource_uid: string; datasource_type: string }>;
  /** The call's logger, when the client was made from a call context. */
  logger: Logger | undefined;
}

/**
 * A step around every request of a client, as the Go SDK's `httpclient.Middleware`: it may change
 * the request, observe or replace the response, time the call, or throw. `next` sends the request
 * on (through the later middlewares, the built-in steps and the transport). Tracing and metrics
 * are middlewares; a transport failure reaches them as a `DownstreamError`. As in the Go SDK they
 * run before the built-in steps (basic auth, custom headers, user agent, forwarded headers), so
 * they never see the credentials those add.
 */
export type HttpMiddleware = (
  request: Request,
  next: (request: Request) => Promise<Response>,
  info: HttpRequestInfo,
) => Promise<Response>;

const defaults: HttpMiddleware[] = [];

/**
 * Adds `middleware` to the middlewares every client gets before its own (`HttpClientOptions.middlewares`),
 * unless it opts out with `defaultMiddlewares: false`: how an SDK adapter installs tracing and
 * metrics for every downstream call, as the Go SDK's default middlewares. Returns a function that
 * removes it again.
 */
export function addDefaultHttpMiddleware(middleware: HttpMiddleware): () => void {
  defaults.push(middleware);
  return () => {
    const i = defaults.indexOf(middleware);
    if (i >= 0) defaults.splice(i, 1);
  };
}

/** The middlewares installed with {@link addDefaultHttpMiddleware}, outermost first. */
export function defaultHttpMiddlewares(): readonly HttpMiddleware[] {
  return [...defaults];
}

/** Runs `request` through `middlewares` (first outermost) and then `transport`. */
export function runMiddlewares(
  middlewares: readonly HttpMiddleware[],
  transport: (request: Request) => Promise<Response>,
  info: HttpRequestInfo,
  request: Request,
): Promise<Response> {
  const step = (i: number, r: Request): Promise<Response> =>
    i === middlewares.length
      ? transport(r)
      : (middlewares[i] as HttpMiddleware)(r, (next) => step(i + 1, next), info);
  return step(0, request);
}
