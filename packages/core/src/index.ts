// The public API of @gfsdk/core: what plugin authors write against. Adapter internals are in
// `@gfsdk/core/protocol`.

export { maxChannelLength, validateChannelPath } from "./channel-path.js";
export type { DataQuery, TimeRange } from "./data-query.js";
export type { DownstreamObservation, DownstreamOutcome, DownstreamRequest } from "./downstream-request.js";
export { observeDownstreamRequest } from "./downstream-request.js";
export type {
  EncodableFrame,
  FrameEncodeOptions,
  FrameFormat,
  FrameInclude,
  FrameLike,
} from "./encodable-frame.js";
export { errorResponse } from "./error-response.js";
export { errorSourceFromHttpStatus } from "./error-source-from-http-status.js";
export {
  CheckHealthResponse_HealthStatus as HealthStatus,
  DataFrameFormat,
  PublishStreamResponse_Status as PublishStreamStatus,
  SubscribeStreamResponse_Status as SubscribeStreamStatus,
} from "./gen/pluginv2/backend_pb.js";
export type { AwsConfig, OtlpConfig, SecureSocksProxyConfig } from "./grafana-config.js";
export { GrafanaConfig, ProcessConfig, processConfig } from "./grafana-config.js";
export type { LogAttributes, Logger, LoggerOptions, LogLevel } from "./logger.js";
export { createLogger, hclogTimestamp } from "./logger.js";
export type {
  CallContext,
  ChunkedDataWriter,
  ChunkedQueryHandler,
  DataResult,
  DefaultJsonData,
  DefaultSecureJsonData,
  HealthResult,
  InstanceSettings,
  Plugin,
  PluginDefinition,
  PluginHandlers,
  PublishResult,
  QueriesHandler,
  QueryContext,
  QueryHandler,
  QueryResult,
  QueryResults,
  QueryTypeDefinition,
  ResourceContext,
  StreamRequest,
  SubscribeResult,
} from "./plugin.js";
export { definePlugin } from "./plugin.js";
export type { AppSettings, DataSourceSettings, JsonObject, PluginContext } from "./plugin-context.js";
export type { DownstreamErrorOptions, ErrorSource, PluginErrorOptions } from "./plugin-error.js";
export { DownstreamError, PluginError } from "./plugin-error.js";
export { readJson } from "./read-json.js";
export type {
  HttpMethod,
  ResourceFallback,
  ResourceRouter,
  ResourceRouterOptions,
  ResourceRoutes,
  RouteContext,
  RouteHandler,
  RouteKey,
  RouteParams,
} from "./resource-router.js";
export { createResourceRouter } from "./resource-router.js";
export type { InferSchema, Schema } from "./schema.js";
export { typed } from "./schema.js";
export type { StreamSender } from "./stream-sender.js";
