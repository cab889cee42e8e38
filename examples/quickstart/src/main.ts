import { serve } from "@gfsdk/grpc";
import { plugin } from "./plugin.js";

await serve(plugin, { pluginId: "myorg-ramp-datasource" });
