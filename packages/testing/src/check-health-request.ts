import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type PluginContextArg, toPluginContext } from "./plugin-context.js";

/** A CheckHealth or CollectMetrics request in plain values. */
export interface CheckHealthRequestInit {
  /** The request's `headers` map; default `{}`. */
  headers?: Record<string, string>;
  /** The plugin context, in plain values or as a message; default the defaults. */
  pluginContext?: PluginContextArg;
}

/** A `CheckHealthRequest` message from plain values: `checkHealthRequest({ pluginContext: { jsonData } })`. */
export function checkHealthRequest(init: CheckHealthRequestInit = {}): pluginv2.CheckHealthRequest {
  return create(pluginv2.CheckHealthRequestSchema, {
    pluginContext: toPluginContext(init.pluginContext),
    headers: init.headers ?? {},
  });
}

/** A `CollectMetricsRequest` message from plain values. */
export function collectMetricsRequest(
  init: Pick<CheckHealthRequestInit, "pluginContext"> = {},
): pluginv2.CollectMetricsRequest {
  return create(pluginv2.CollectMetricsRequestSchema, { pluginContext: toPluginContext(init.pluginContext) });
}
