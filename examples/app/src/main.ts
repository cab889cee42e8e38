// The executable Grafana launches: it talks gRPC to Grafana through go-plugin.
import { serve } from "@gfsdk/grpc";
import { appPlugin, appPluginId } from "./app-plugin.js";

await serve(appPlugin, { pluginId: appPluginId });
