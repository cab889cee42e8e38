// The executable's entry point: Grafana starts it and talks to the plugin over gRPC.
import { serve } from "@gfsdk/grpc";
import { plugin } from "./plugin.js";

await serve(plugin, { pluginId: "__PLUGIN_ID__" });
