// The executable Grafana launches: it talks gRPC to Grafana through go-plugin.
import { serve } from "@gfsdk/grpc";
import { sqlitePlugin, sqlitePluginId } from "./sqlite-plugin.js";

await serve(sqlitePlugin, { pluginId: sqlitePluginId });
