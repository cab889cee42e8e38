// The public API of @gfsdk/grpc/testing: call a plugin over gRPC as Grafana does, from tests.
// These live in @gfsdk/testing (an optional peer dependency of @gfsdk/grpc), re-exported here for
// code written before it; new code imports them from @gfsdk/testing.

export {
  createGrpcPluginClient,
  createHostCertificate,
  type GrpcPluginClient,
  type GrpcPluginClientOptions,
  type HostCertificate,
} from "@gfsdk/testing";
export { waitFor } from "./wait-for.js";
export type { PluginProcess } from "./watch-plugin-process.js";
export { watchPluginProcess } from "./watch-plugin-process.js";
