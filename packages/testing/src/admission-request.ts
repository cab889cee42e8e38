import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { type Payload, payloadBytes } from "./payload-bytes.js";
import { type PluginContextArg, toPluginContext } from "./plugin-context.js";

/** The operation of an admission request, by name. */
export type AdmissionOperationName = keyof typeof pluginv2.AdmissionRequest_Operation;

/** A ValidateAdmission or MutateAdmission request in plain values. */
export interface AdmissionRequestInit {
  /** Default `"CREATE"`. */
  operation?: AdmissionOperationName;
  /** The object's group, version and kind; default `{ group: "", version: "", kind: "" }`. */
  kind?: { group?: string; version?: string; kind?: string };
  /** The object: a JSON value, a JSON string, or bytes. Default none. */
  object?: Payload;
  /** The object before the change (UPDATE): as `object`. Default none. */
  oldObject?: Payload;
  /** The plugin context, in plain values or as a message; default the defaults. */
  pluginContext?: PluginContextArg;
}

/**
 * An `AdmissionRequest` message from plain values:
 * `admissionRequest({ operation: "UPDATE", kind: { group: "g", version: "v1", kind: "K" }, object: { spec: {} } })`.
 */
export function admissionRequest(init: AdmissionRequestInit = {}): pluginv2.AdmissionRequest {
  const name = init.operation ?? "CREATE";
  const operation = pluginv2.AdmissionRequest_Operation[name];
  if (typeof operation !== "number") {
    const names = Object.keys(pluginv2.AdmissionRequest_Operation).filter((k) => Number.isNaN(Number(k)));
    throw new TypeError(`operation must be one of ${names.join(", ")}, not ${JSON.stringify(name)}`);
  }
  return create(pluginv2.AdmissionRequestSchema, {
    pluginContext: toPluginContext(init.pluginContext),
    operation,
    kind: { group: "", version: "", kind: "", ...init.kind },
    objectBytes: payloadBytes(init.object),
    oldObjectBytes: payloadBytes(init.oldObject),
  });
}
