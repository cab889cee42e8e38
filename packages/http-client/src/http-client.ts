import { createSecureContext } from "node:tls";
import type { Logger, PluginContext } from "@gfsdk/core";
import { observeDownstreamRequest, PluginError, processConfig } from "@gfsdk/core";
import { Agent, type Dispatcher, EnvHttpProxyAgent, fetch as undiciFetch } from "undici";
import { forwardedHeaders, type IncomingHeaders } from "./forwarded-headers.js";
import {
  defaultHttpMiddlewares,
  type HttpMiddleware,
  type HttpRequestInfo,
  runMiddlewares,
} from "./http-middleware.js";
import { type HttpSettings, readHttpSettings } from "./http-settings.js";
import { createObserverMiddleware } from "./observer-middleware.js";
import { limitResponse, rebuilt } from "./response-limit.js";
import { createSecureSocksConnector } from "./secure-socks-connector.js";
import { isTransportFailure, safeUrl, transportError } from "./transport-error.js";
import { grafanaUserAgentOf } from "./user-agent.js";

/**
 * What a client is made from: a handler's context (`CallContext`, `QueryContext`,
 * `ResourceContext`) or `createInstance`'s settings. Only `pluginContext` is required.
 */
export interface HttpClientContext {
  pluginContext: PluginContext<unknown, unknown>;
  /**
   * The user's request headers forwarded by Grafana (the call's `headers`; for a resource call,
   * pass `request.headers`). Forwarded downstream as the data source allows. Default none.
   */
  headers?: IncomingHeaders;
  /** Aborts the client's requests (the call's `signal`). Default none. */
  signal?: AbortSignal;
  /** The call's logger, for the over-limit warning and middlewares. Default none. */
  logger?: Logger;
}

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /**
   * Middlewares around every request, first outermost, after the default ones (the call's tracing
   * and metrics, then those installed with `addDefaultHttpMiddleware`). Default none.
   */
  middlewares?: readonly HttpMiddleware[];
  /** Whether the default middlewares (the call's tracing and metrics among them) run. Default true. */
  defaultMiddlewares?: boolean;
  /** Relative request URLs are resolved against this. Default: the data source `url`. */
  baseUrl?: string;
  /** Overrides the response size limit in bytes (0 or less: none). Default: Grafana's (`GF_RESPONSE_LIMIT`). */
  responseLimit?: number;
  /** Overrides the whole-request timeout in ms (0: none). Default: `jsonData.timeout` seconds, else 30 s. */
  timeoutMs?: number;
}

/**
 * A `fetch` configured from a data source's settings with Grafana's conventions (see
 * {@link createHttpClient}). Its requests share one connection pool; close it when done.
 */
export interface HttpClient {
  /**
   * Sends a request as the web `fetch` does. A relative URL is resolved against the data source
   * URL. A transport failure (refused, reset, DNS, TLS, proxy, timeout) rejects with a
   * `DownstreamError`; a body over the response limit fails with a `ResponseLimitError`; an HTTP
   * error status is an ordinary response.
   */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /**
   * A client for another call, sharing this one's connections: that call's forwarded headers,
   * signal and logger (a client made in `createInstance`, used in handlers).
   */
  forCall(context: Omit<HttpClientContext, "pluginContext">): HttpClient;
  /** The settings in use; secrets are not enumerable, so logging them shows none. */
  readonly settings: HttpSettings;
  /** Closes the connection pool (every client of `forCall` shares it). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Masks every secret of `secrets` in `text`, longest first (one may contain another). */
function redactor(secrets: readonly string[]): (text: string) => string {
  const sorted = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((t, s) => t.split(s).join("[redacted]"), text);
}

/** Custom headers that `Headers` refuses fail now, naming the header, never its (secret) value. */
function checkCustomHeaders(settings: HttpSettings): void {
  settings.headers.forEach(([name, value], i) => {
    try {
      new Headers().append(name, value);
    } catch {
      throw new PluginError(
        `invalid custom header httpHeaderName${i + 1} ${JSON.stringify(name)}: not a valid HTTP header name or value`,
        { status: 400 },
      );
    }
  });
}

/** TLS options for undici's connector from the settings, checked now so a bad PEM fails early. */
function tlsOptions(settings: HttpSettings): Record<string, unknown> {
  const tls = settings.tls;
  if (!tls) return {};
  const options: Record<string, unknown> = {
    rejectUnauthorized: !tls.skipVerify,
    ...(tls.caCert ? { ca: tls.caCert } : {}),
    ...(tls.clientCert && tls.clientKey ? { cert: tls.clientCert, key: tls.clientKey } : {}),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
    ...(tls.tls13Only ? { minVersion: "TLSv1.3", maxVersion: "TLSv1.3" } : {}),
  };
  try {
    createSecureContext(options);
  } catch (error) {
    // Node's message names the failing step (PEM decoding, key mismatch), never the PEM itself.
    throw new PluginError(
      `invalid TLS settings of the data source (tlsCACert, tlsClientCert, tlsClientKey): ${(error as Error).message}`,
      { status: 400, cause: error },
    );
  }
  return options;
}

/**
 * The HTTP proxies of the environment as Go's `http.ProxyFromEnvironment` reads them (upper case
 * first), or undefined when none is set. As in Go, `localhost` and the loopback addresses are
 * never proxied, besides the hosts of `NO_PROXY`.
 */
function environmentProxy(): { httpProxy?: string; httpsProxy?: string; noProxy: string } | undefined {
  const env = processConfig();
  const httpProxy = env.get("HTTP_PROXY") ?? env.get("http_proxy");
  const httpsProxy = env.get("HTTPS_PROXY") ?? env.get("https_proxy");
  if (!httpProxy && !httpsProxy) return undefined;
  const noProxy = [env.get("NO_PROXY") ?? env.get("no_proxy"), "localhost", "127.0.0.1", "[::1]"];
  return {
    // undici's agent would read the variables itself when one is missing: an empty value disables it.
    httpProxy: httpProxy ?? "",
    httpsProxy: httpsProxy ?? "",
    noProxy: noProxy.filter(Boolean).join(","),
  };
}

function createDispatcher(settings: HttpSettings, timeoutMs: number): Dispatcher {
  const tls = tlsOptions(settings);
  const connect = { ...tls, timeout: settings.dialTimeoutMs };
  const common = {
    // As Go's http.Client: the whole-request timeout also bounds waiting for headers and body.
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    keepAliveTimeout: settings.idleConnTimeoutMs,
  };
  if (settings.proxy)
    return new Agent({ ...common, connect: createSecureSocksConnector(settings.proxy, connect) });
  const proxy = environmentProxy();
  // Through an HTTP proxy the data source's TLS settings apply to the tunnelled connection.
  if (proxy) return new EnvHttpProxyAgent({ ...common, ...proxy, connect, requestTls: tls });
  return new Agent({ ...common, connect });
}

/** `input` resolved against `base` when relative: `base`'s path is kept (`/api` + `query` is `/api/query`). */
function resolveUrl(input: string, base: string): string {
  if (URL.canParse(input) || base === "") return input;
  return `${base.replace(/\/+$/, "")}/${input.replace(/^\/+/, "")}`;
}

interface Shared {
  settings: HttpSettings;
  dispatcher: Dispatcher;
  middlewares: readonly HttpMiddleware[];
  baseUrl: string;
  responseLimit: number | undefined;
  timeoutMs: number;
  userAgent: string | undefined;
  pluginContext: PluginContext<unknown, unknown>;
}

/** The Go SDK's built-in header steps, in its order: basic auth, custom headers, user agent, forwarded headers. */
function prepare(shared: Shared, request: Request, incoming: IncomingHeaders | undefined): Request {
  const headers = new Headers(request.headers);
  const { settings } = shared;
  // Basic auth only when the request brings no Authorization of its own.
  if (settings.basicAuth && !headers.has("authorization")) {
    const { user, password } = settings.basicAuth;
    headers.set("authorization", `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`);
  }
  // Custom headers replace what the request set, as the Go SDK's CustomHeadersMiddleware.
  for (const [name] of settings.headers) headers.delete(name);
  for (const [name, value] of settings.headers) headers.append(name, value);
  if (shared.userAgent && !headers.has("user-agent")) headers.set("user-agent", shared.userAgent);
  // Forwarded headers only where the request has none (the Go SDK's header middleware).
  if (incoming) {
    for (const [name, value] of forwardedHeaders(incoming, settings)) {
      if (!headers.has(name)) headers.set(name, value);
    }
  }
  return new Request(request, { headers });
}

function makeClient(shared: Shared, context: Omit<HttpClientContext, "pluginContext">): HttpClient {
  // The call's forwarded tokens and cookies are masked in messages too, with the settings' secrets.
  const forwarded = context.headers
    ? forwardedHeaders(context.headers, shared.settings).map(([, v]) => v)
    : [];
  const redact = redactor([...shared.settings.secrets, ...forwarded]);
  const info: HttpRequestInfo = {
    pluginContext: shared.pluginContext,
    labels: shared.settings.labels,
    logger: context.logger,
  };

  const transport = async (request: Request): Promise<Response> => {
    const url = safeUrl(request.url);
    const timeout = shared.timeoutMs > 0 ? AbortSignal.timeout(shared.timeoutMs) : undefined;
    const signals = [request.signal, context.signal, timeout].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const signal = AbortSignal.any(signals);
    const mapError = (error: unknown): unknown => {
      if (timeout?.aborted && !context.signal?.aborted && !request.signal.aborted) {
        return transportError(error, request, redact, shared.timeoutMs);
      }
      return isTransportFailure(error) ? transportError(error, request, redact) : error;
    };
    let response: Response;
    try {
      // undici's own fetch (not the global one) so the dispatcher's TLS and proxy settings apply.
      // The request goes as parts: undici's fetch does not take a Request of another undici copy.
      const init = {
        method: request.method,
        headers: [...request.headers],
        body: request.body,
        redirect: request.redirect,
        signal,
        dispatcher: shared.dispatcher,
        ...(request.body ? { duplex: "half" as const } : {}),
      };
      response = (await undiciFetch(
        request.url,
        init as Parameters<typeof undiciFetch>[1],
      )) as unknown as Response;
    } catch (error) {
      throw mapError(error);
    }
    if (shared.responseLimit !== undefined && shared.responseLimit > 0) {
      const limit = shared.responseLimit;
      response = limitResponse(response, limit, url, () =>
        context.logger?.warn("downstream response body exceeded limit", {
          datasource_uid: shared.settings.labels.datasource_uid,
          datasource_name: shared.settings.labels.datasource_name,
          limit_bytes: limit,
        }),
      );
    }
    // Always a global Response (not undici's class), its body's read errors mapped as the request's.
    return rebuilt(response, response.body === null ? null : mapBodyErrors(response.body, mapError));
  };

  const client: HttpClient = {
    settings: shared.settings,
    async fetch(input, init) {
      const raw = typeof input === "string" ? resolveUrl(input, shared.baseUrl) : input;
      let request: Request;
      try {
        request = new Request(raw, init);
      } catch (error) {
        throw new PluginError(redact(`invalid HTTP request: ${(error as Error).message}`), { cause: error });
      }
      // As the Go SDK's chain: the middlewares (tracing, metrics) outermost, then the built-in
      // header steps, so no middleware sees the credentials they add.
      const send = (r: Request) => transport(prepare(shared, r, context.headers));
      return runMiddlewares(shared.middlewares, send, info, request);
    },
    forCall: (next) => makeClient(shared, next),
    close: () => shared.dispatcher.close(),
    [Symbol.asyncDispose]: () => shared.dispatcher.close(),
  };
  return client;
}

/** `body` with its read errors (a timeout mid-body, a reset) mapped by `map`. */
function mapBodyErrors(
  body: ReadableStream<Uint8Array>,
  map: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(map(error));
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * The call's tracing and metrics for every request made while a handler runs (core's
 * `observeDownstreamRequest`: a child span of the call's span with `traceparent` sent on, and the
 * `plugins_datasource_request_*` metrics), as the Go SDK's default tracing and metrics middlewares.
 * Outside a call it does nothing.
 */
const callObserver = createObserverMiddleware(observeDownstreamRequest);

/**
 * An HTTP client for downstream calls configured from the plugin context as the Go SDK's
 * `httpclient.New(settings.HTTPClientOptions())`: the user agent in Grafana's form
 * (`Grafana/<version> (<os>; <arch>) <pluginId>/<version>`), the data source's custom headers
 * (`httpHeaderName<n>`/`httpHeaderValue<n>`), basic auth, the user's OAuth tokens (`oauthPassThru`)
 * and allow-listed cookies (`keepCookies`) from `context.headers`, the timeout (`jsonData.timeout`
 * seconds, default 30 s), TLS (`tlsSkipVerify`, `tlsAuthWithCACert` + `tlsCACert`, `tlsAuth` +
 * `tlsClientCert`/`tlsClientKey`, `serverName`), the response size limit (`GF_RESPONSE_LIMIT`),
 * the secure socks proxy (`enableSecureSocksProxy`) and transport failures as `DownstreamError`s.
 * Throws a `PluginError` (400) for settings that cannot work (a malformed PEM or duration).
 */
export function createHttpClient(context: HttpClientContext, options: HttpClientOptions = {}): HttpClient {
  const settings = readHttpSettings(context.pluginContext);
  checkCustomHeaders(settings);
  const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
  const shared: Shared = {
    settings,
    dispatcher: createDispatcher(settings, timeoutMs),
    middlewares: [
      ...(options.defaultMiddlewares === false ? [] : [callObserver, ...defaultHttpMiddlewares()]),
      ...(options.middlewares ?? []),
    ],

    baseUrl: options.baseUrl ?? settings.url,
    responseLimit: options.responseLimit ?? settings.responseLimit,
    timeoutMs,
    userAgent: grafanaUserAgentOf(context.pluginContext),
    pluginContext: context.pluginContext,
  };
  return makeClient(shared, context);
}
