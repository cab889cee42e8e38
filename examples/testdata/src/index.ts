export type { RandomWalkModel, TestdataJsonData } from "./testdata-plugin.js";
export { testdataPlugin, testdataPluginId } from "./testdata-plugin.js";
