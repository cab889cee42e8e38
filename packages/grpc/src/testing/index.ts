// The public API of @gfsdk/grpc/testing: call a plugin over gRPC as Grafana does, from tests.
// It needs @connectrpc/connect-node, an optional peer dependency of @gfsdk/grpc.

export type { GrpcPluginClient, GrpcPluginClientOptions } from "./grpc-plugin-client.js";
export { createGrpcPluginClient } from "./grpc-plugin-client.js";
export type { HostCertificate } from "./host-certificate.js";
export { createHostCertificate } from "./host-certificate.js";
export { waitFor } from "./wait-for.js";
export type { PluginProcess } from "./watch-plugin-process.js";
export { watchPluginProcess } from "./watch-plugin-process.js";
