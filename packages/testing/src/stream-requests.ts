import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type Payload, payloadBytes } from "./payload-bytes.js";
import { type PluginContextArg, toPluginContext } from "./plugin-context.js";

/** A SubscribeStream, RunStream or PublishStream request in plain values. */
export interface StreamRequestInit {
  /** The channel path after `ds/<uid>/` or `plugin/<id>/`, e.g. `"stream/counter"`. */
  path: string;
  /** The request's data: a string as UTF-8, bytes as they are, anything else as JSON. Default none. */
  data?: Payload;
  /** The request's `headers` map; default `{}`. */
  headers?: Record<string, string>;
  /** The plugin context, in plain values or as a message; default the defaults. */
  pluginContext?: PluginContextArg;
}

function fields(init: StreamRequestInit) {
  if (typeof init?.path !== "string") throw new TypeError("a stream request needs a path (a string)");
  return {
    pluginContext: toPluginContext(init.pluginContext),
    path: init.path,
    data: payloadBytes(init.data),
    headers: init.headers ?? {},
  };
}

/** A `SubscribeStreamRequest` message from plain values: `subscribeStreamRequest({ path: "stream/x" })`. */
export function subscribeStreamRequest(init: StreamRequestInit): pluginv2.SubscribeStreamRequest {
  return create(pluginv2.SubscribeStreamRequestSchema, fields(init));
}

/** A `RunStreamRequest` message from plain values. */
export function runStreamRequest(init: StreamRequestInit): pluginv2.RunStreamRequest {
  return create(pluginv2.RunStreamRequestSchema, fields(init));
}

/** A `PublishStreamRequest` message from plain values: `publishStreamRequest({ path, data: { x: 1 } })`. */
export function publishStreamRequest(init: StreamRequestInit): pluginv2.PublishStreamRequest {
  return create(pluginv2.PublishStreamRequestSchema, fields(init));
}
