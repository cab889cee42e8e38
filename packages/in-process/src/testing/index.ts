// Public API of @gfsdk/in-process/testing: call a plugin in unit tests with plain values.

export { fieldValues, frameRows, type PlainValue } from "./field-values.js";
export type { HealthCheckResult, HealthStatusName } from "./health-check-result.js";
export type { CapturedLog } from "./log-capture.js";
export type { PluginContextInit } from "./plugin-context-factory.js";
export {
  type CallResourceOptions,
  type CheckHealthOptions,
  createPluginTester,
  type PluginTester,
  type PluginTesterOptions,
  type QueryDataOptions,
  type QueryOptions,
  type TestCallOptions,
} from "./plugin-tester.js";
export type { QueryResult } from "./query-result.js";
export type { ResourceResult } from "./resource-result.js";
export type {
  TestAppSettings,
  TestDataSourceSettings,
  TestPluginContext,
  TestUser,
} from "./test-plugin-context.js";
export { defaultTimeRange, type TestQuery, type TestTimeRange } from "./test-query.js";
export type { TestResourceRequest } from "./test-resource-request.js";
