// @gfsdk/grpc/protocol: the adapter's internals, for other adapters, tools and tests. Plugin
// authors need none of it; its names may change in any release.

/** The go-plugin environment, as the host sets it. */
export type { GoPluginEnv } from "./go-plugin-env.js";
export { magicCookie, negotiateProtocolVersion, parseGoPluginEnv } from "./go-plugin-env.js";
/** A protobuf-es service served by grpc-js. */
export type { GrpcServiceDefinition, GrpcServiceDefinitionOptions } from "./grpc-service-definition.js";
export { createGrpcServiceDefinition } from "./grpc-service-definition.js";
/** Handler errors as gRPC statuses. */
export { statusDetailsKey, toGrpcStatus } from "./grpc-status.js";
