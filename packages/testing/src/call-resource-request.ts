import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type PluginContextArg, toPluginContext } from "./plugin-context.js";
import { type TestResourceRequest, toCallResourceRequest } from "./test-resource-request.js";

/** A CallResource request in plain values, with its plugin context. */
export interface CallResourceRequestInit extends TestResourceRequest {
  /** The plugin context, in plain values or as a message; default the defaults. */
  pluginContext?: PluginContextArg;
}

/**
 * A `CallResourceRequest` message from plain values, with the `url` Grafana forwards (under
 * `/api/datasources/uid/<uid>/resources/`, or `/api/plugins/<id>/resources/` for an app):
 * `callResourceRequest({ method: "POST", path: "echo?x=1", body: { a: 1 } })`.
 */
export function callResourceRequest(init: CallResourceRequestInit): pluginv2.CallResourceRequest {
  const { pluginContext: given, ...request } = init;
  const context = toPluginContext(given);
  const fields = toCallResourceRequest(request, {
    pluginId: context.pluginId,
    dataSourceUid: context.dataSourceInstanceSettings?.uid,
  });
  return create(pluginv2.CallResourceRequestSchema, { ...fields, pluginContext: context });
}
