// The public API of @gfsdk/grpc.

export type { AutoMtlsCredentials } from "./auto-mtls.js";
export { createAutoMtlsCredentials } from "./auto-mtls.js";
export type { BoundAddress, ListenTarget } from "./bind-grpc-server.js";
export type { GrpcServer, GrpcServerOptions } from "./grpc-server.js";
export { createGrpcServer, defaultMaxReceiveMessageSize, defaultShutdownTimeoutMs } from "./grpc-server.js";
export type { HandshakeOptions } from "./handshake.js";
export { appProtocolVersion, coreProtocolVersion, formatHandshake } from "./handshake.js";
export type { PluginMetrics } from "./plugin-metrics.js";
export { createPluginMetrics, sanitizeLabelName } from "./plugin-metrics.js";
export type { PluginServer, ServeOptions } from "./serve.js";
export { serve } from "./serve.js";
export { standaloneAddressEnvName } from "./standalone-address.js";
export { standaloneFileNames } from "./standalone-files.js";
export type { StartTracingOptions, Tracing } from "./start-tracing.js";
export { startTracing } from "./start-tracing.js";
export type { PropagatorName, SamplerType, TracingConfig } from "./tracing-config.js";
export { readTracingConfig } from "./tracing-config.js";

// Testing utilities (a gRPC plugin client, host certificates) are in @gfsdk/grpc/testing.
// Adapter internals (the go-plugin environment, grpc-js service definitions, gRPC statuses) are in
// @gfsdk/grpc/protocol.
