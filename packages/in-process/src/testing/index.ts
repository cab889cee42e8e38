// Public API of @gfsdk/in-process/testing: call a plugin in unit tests with plain values. The
// builders and decoders are @gfsdk/testing's; this entry runs them over an in-process client.

export {
  type CallResourceOptions,
  type CheckHealthOptions,
  type ChunkedQueryResult,
  defaultTimeRange,
  fieldValues,
  frameRows,
  type HealthCheckResult,
  type HealthStatusName,
  type PlainValue,
  type QueryDataOptions,
  type QueryOptions,
  type QueryResult,
  type ResourceResult,
  type StreamOptions,
  type TestAppSettings,
  type TestCallOptions,
  type TestDataSourceSettings,
  type TestPluginContext,
  type TestQuery,
  type TestResourceRequest,
  type TestTimeRange,
  type TestUser,
} from "@gfsdk/testing";
export type { CapturedLog } from "./log-capture.js";
export { createPluginTester, type PluginTester, type PluginTesterOptions } from "./plugin-tester.js";
