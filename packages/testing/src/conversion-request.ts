import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type Payload, payloadBytes } from "./payload-bytes.js";
import { type PluginContextArg, toPluginContext } from "./plugin-context.js";

/** One object to convert: a JSON value (sent as `application/json`), or its bytes and content type. */
export type ConversionObject = Payload | { raw: Uint8Array | string; contentType: string };

/** A ConvertObjects request in plain values. */
export interface ConversionRequestInit {
  /** The objects to convert. */
  objects: ConversionObject[];
  /** The group and version to convert them to. */
  targetVersion: { group?: string; version: string };
  /** The request's uid; default `"test-conversion-uid"`. */
  uid?: string;
  /** The plugin context, in plain values or as a message; default the defaults. */
  pluginContext?: PluginContextArg;
}

function isRaw(value: ConversionObject): value is { raw: Uint8Array | string; contentType: string } {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array) && "raw" in value;
}

/**
 * A `ConversionRequest` message from plain values:
 * `conversionRequest({ objects: [{ apiVersion: "g/v1", kind: "K" }], targetVersion: { group: "g", version: "v2" } })`.
 */
export function conversionRequest(init: ConversionRequestInit): pluginv2.ConversionRequest {
  if (!Array.isArray(init?.objects)) throw new TypeError("a conversion request needs objects (an array)");
  return create(pluginv2.ConversionRequestSchema, {
    pluginContext: toPluginContext(init.pluginContext),
    uid: init.uid ?? "test-conversion-uid",
    objects: init.objects.map((object) =>
      isRaw(object)
        ? { raw: payloadBytes(object.raw), contentType: object.contentType }
        : { raw: payloadBytes(object), contentType: "application/json" },
    ),
    targetVersion: { group: init.targetVersion.group ?? "", version: init.targetVersion.version },
  });
}
