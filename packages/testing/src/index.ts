// The public API of @gfsdk/testing: test a Grafana backend plugin with plain values, in-process or
// as the executable Grafana runs.

// Request builders: plain values in, pluginv2 messages out.
export {
  type AdmissionOperationName,
  type AdmissionRequestInit,
  admissionRequest,
} from "./admission-request.js";
// Decoders: pluginv2 messages in, plain values and frames out.
export {
  type AdmissionResult,
  type ConversionResult,
  type StatusResultValue,
  toAdmissionResult,
  toConversionResult,
} from "./admission-result.js";
export { type CallResourceRequestInit, callResourceRequest } from "./call-resource-request.js";
export {
  type CheckHealthRequestInit,
  checkHealthRequest,
  collectMetricsRequest,
} from "./check-health-request.js";
export { type ChunkedQueryResult, toChunkedQueryResults } from "./chunked-query-result.js";
export {
  type ConversionObject,
  type ConversionRequestInit,
  conversionRequest,
} from "./conversion-request.js";
export { fieldValues, frameRows, type PlainValue } from "./field-values.js";
// Running the executable as Grafana does.
export {
  createGrpcPluginClient,
  type GrpcPluginClient,
  type GrpcPluginClientOptions,
} from "./grpc-plugin-client.js";
export { type Handshake, type ParseHandshakeOptions, parseHandshake } from "./handshake.js";
export { type HealthCheckResult, type HealthStatusName, toHealthCheckResult } from "./health-check-result.js";
export { createHostCertificate, type HostCertificate } from "./host-certificate.js";
export { type LaunchedPlugin, type LaunchPluginOptions, launchPlugin } from "./launch-plugin.js";
export type { Payload } from "./payload-bytes.js";
export { type PluginContextArg, pluginContext } from "./plugin-context.js";
export { type PluginEnvironmentOptions, pluginEnvironment } from "./plugin-environment.js";
export {
  type PluginExit,
  type PluginLogLine,
  type PluginProcess,
  type StartPluginProcessOptions,
  startPluginProcess,
  type WatchPluginProcessOptions,
  watchPluginProcess,
} from "./plugin-process.js";
// The tester, over any transport's PluginClient.
export {
  type AdmissionOptions,
  type CallResourceOptions,
  type CheckHealthOptions,
  type ConversionOptions,
  createPluginTester,
  type PluginTester,
  type PluginTesterOptions,
  type QueryDataOptions,
  type QueryOptions,
  type StreamOptions,
  type TestCallOptions,
} from "./plugin-tester.js";
export {
  dataQuery,
  type QueryDataRequestInit,
  queryChunkedDataRequest,
  queryDataRequest,
} from "./query-data-request.js";
export { type QueryResult, toQueryResult, toQueryResults } from "./query-result.js";
export { type ResourceResult, toResourceResult } from "./resource-result.js";
export {
  publishStreamRequest,
  runStreamRequest,
  type StreamRequestInit,
  subscribeStreamRequest,
} from "./stream-requests.js";
export {
  createStreamDataReader,
  type PublishResult,
  type StreamData,
  type StreamStatusName,
  type SubscribeResult,
  toPublishResult,
  toSubscribeResult,
} from "./stream-results.js";
export type {
  TestAppSettings,
  TestDataSourceSettings,
  TestPluginContext,
  TestUser,
} from "./test-plugin-context.js";
export { defaultTimeRange, type TestQuery, type TestTimeRange } from "./test-query.js";
export type { TestResourceRequest } from "./test-resource-request.js";
