// @gfsdk/core/protocol: the adapter internals. Transports (grpc, connect, in-process), test tools
// and the conformance suite import these; plugin authors import `@gfsdk/core`.

export type { CallEnd, CallSpan, CallStart, CallTracer } from "./call-tracer.js";
export { createW3cCallTracer, traceIdOfTraceparent } from "./call-tracer.js";
export type { DownstreamCall, DownstreamObserver } from "./downstream-request.js";
/** The generated gRPC health protocol. */
export * as health from "./gen/grpc/health/v1/health_pb.js";
/** The generated pluginv2 protocol: messages, enums and service descriptors. */
export * as pluginv2 from "./gen/pluginv2/backend_pb.js";
/** The generated go-plugin internals: GRPCController, GRPCStdio, GRPCBroker. */
export * as goplugin from "./go-plugin-protocol.js";
/** The generated google.rpc Status and ErrorInfo. */
export * as googleRpc from "./google-rpc-protocol.js";
export { defaultInstanceIdleTtlMs } from "./instance-manager.js";
export { maskLogger, SecretRedactor } from "./logger.js";
export type { LoopbackHostOptions } from "./loopback-address.js";
/** The loopback rule every adapter applies before it listens (a plugin has no authentication). */
export { assertLoopbackHost, isLoopbackHost } from "./loopback-address.js";
export type { PluginClient } from "./plugin-client.js";
export { createPluginClient } from "./plugin-client.js";
export type {
  CompletedRequest,
  PluginServiceImpls,
  PluginServices,
  PluginServicesOptions,
} from "./plugin-services.js";
export {
  createPluginServices,
  pluginServices,
  registerPlugin,
  toConnectError,
} from "./plugin-services.js";
export { defaultMaxMessageBytes } from "./protocol-defaults.js";
export { resourceOrigin } from "./web-resource.js";
