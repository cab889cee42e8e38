export type { ConformanceOptions, ConformanceTarget } from "./plugin-conformance.js";
export { describePluginConformance } from "./plugin-conformance.js";
export { query, queryDataRequest, testdataContext } from "./requests.js";
