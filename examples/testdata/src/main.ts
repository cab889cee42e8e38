// The testdata executable: Grafana launches it and talks gRPC to it through go-plugin.
import { serve } from "@gfsdk/grpc";
import { testdataPlugin, testdataPluginId } from "./testdata-plugin.js";

await serve(testdataPlugin, { pluginId: testdataPluginId });
