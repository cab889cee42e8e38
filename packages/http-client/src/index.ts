// The public API of @gfsdk/http-client: an HTTP client for downstream calls with Grafana's conventions.

export type { ForwardingRules, IncomingHeaders } from "./forwarded-headers.js";
export { forwardedHeaders } from "./forwarded-headers.js";
export type { HttpClient, HttpClientContext, HttpClientOptions } from "./http-client.js";
export { createHttpClient } from "./http-client.js";
export type { HttpMiddleware, HttpRequestInfo } from "./http-middleware.js";
export { addDefaultHttpMiddleware, defaultHttpMiddlewares } from "./http-middleware.js";
export type { HttpProxySettings, HttpSettings, HttpTlsSettings } from "./http-settings.js";
export { defaultTimeouts, readHttpSettings } from "./http-settings.js";
export type { RequestObservation } from "./observer-middleware.js";
export { createObserverMiddleware } from "./observer-middleware.js";
export { ResponseLimitError } from "./response-limit.js";
export { grafanaUserAgentOf } from "./user-agent.js";
