// The public API of @gfsdk/core.

export type { DataQuery, TimeRange } from "./data-query.js";
export type {
  EncodableFrame,
  FrameEncodeOptions,
  FrameFormat,
  FrameInclude,
  FrameLike,
} from "./encodable-frame.js";
export {
  CheckHealthResponse_HealthStatus as HealthStatus,
  DataFrameFormat,
  PublishStreamResponse_Status as PublishStreamStatus,
  SubscribeStreamResponse_Status as SubscribeStreamStatus,
} from "./gen/pluginv2/backend_pb.js";
export { GrafanaConfig } from "./grafana-config.js";
export type { LogAttributes, Logger, LoggerOptions, LogLevel } from "./logger.js";
export { createLogger, hclogTimestamp, SecretRedactor, secretRedactor } from "./logger.js";
export type {
  CallContext,
  ChunkedDataWriter,
  ChunkedQueryHandler,
  DataResult,
  HealthResult,
  Plugin,
  PluginHandlers,
  PublishResult,
  QueryContext,
  QueryHandler,
  QueryTypeHandlers,
  ResourceContext,
  StreamRequest,
  StreamSender,
  SubscribeResult,
} from "./plugin.js";
export { definePlugin } from "./plugin.js";
export type { PluginClient } from "./plugin-client.js";
export { createPluginClient } from "./plugin-client.js";
export type { AppSettings, DataSourceSettings, JsonObject, PluginContext } from "./plugin-context.js";
export type { ErrorSource, PluginErrorOptions } from "./plugin-error.js";
export { downstreamError, PluginError } from "./plugin-error.js";

// Symbols above are for plugin authors. Symbols below are for adapters and tests.

/** The generated gRPC health protocol. */
export * as health from "./gen/grpc/health/v1/health_pb.js";
/** The generated pluginv2 protocol: messages, enums and service descriptors. */
export * as pluginv2 from "./gen/pluginv2/backend_pb.js";
/** The generated go-plugin internals: GRPCController, GRPCStdio, GRPCBroker. */
export * as goplugin from "./go-plugin-protocol.js";
/** The generated google.rpc Status and ErrorInfo. */
export * as googleRpc from "./google-rpc-protocol.js";
export type { LoopbackHostOptions } from "./loopback-address.js";
/** The loopback rule every adapter applies before it listens (a plugin has no authentication). */
export { assertLoopbackHost, isLoopbackHost } from "./loopback-address.js";
export type {
  CompletedRequest,
  PluginServiceImpls,
  PluginServices,
  PluginServicesOptions,
} from "./plugin-services.js";
export { createPluginServices, pluginServices, registerPlugin, toConnectError } from "./plugin-services.js";
export { resourceOrigin } from "./web-resource.js";
