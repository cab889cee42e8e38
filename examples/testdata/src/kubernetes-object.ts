import { PluginError } from "@gfsdk/core";

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** The annotation MutateAdmission adds, with the value `"true"`. */
export const mutatedAnnotation = "gfsdk.dev/mutated";

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses a Kubernetes-style object sent as JSON (`object_bytes`, `RawObject.raw`). Anything that is
 * not UTF-8 JSON of an object is a 400 `PluginError` saying so, with `what` naming the input.
 */
export function parseObject(bytes: Uint8Array, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new PluginError(`${what} is not JSON: ${(error as Error).message}`, { status: 400 });
  }
  if (!isObject(value)) throw new PluginError(`${what} is not a JSON object`, { status: 400 });
  return value;
}

/** The contract's validation: an object is refused only when `spec.valid` is `false` (the boolean). */
export type ValidationVerdict = { allowed: true } | { allowed: false; code: number; message: string };

/** Validates `object`: refused with code 400 naming `spec.valid` when it is `false`, else allowed. */
export function validateObject(object: JsonObject): ValidationVerdict {
  const spec = object.spec;
  if (isObject(spec) && spec.valid === false) {
    return { allowed: false, code: 400, message: "spec.valid is false: the object is marked invalid" };
  }
  return { allowed: true };
}

/**
 * The contract's mutation: `object` with `metadata.annotations["gfsdk.dev/mutated"] = "true"`
 * (metadata and annotations created when absent), everything else unchanged, as JSON bytes.
 * A `metadata` or `annotations` that is not an object is a 400 `PluginError` naming it.
 */
export function mutateObject(object: JsonObject): Uint8Array {
  const metadata = object.metadata ?? {};
  if (!isObject(metadata)) throw new PluginError("metadata is not an object", { status: 400 });
  const annotations = metadata.annotations ?? {};
  if (!isObject(annotations)) throw new PluginError("metadata.annotations is not an object", { status: 400 });
  const mutated = {
    ...object,
    metadata: { ...metadata, annotations: { ...annotations, [mutatedAnnotation]: "true" } },
  };
  return encoder.encode(JSON.stringify(mutated));
}

/**
 * The contract's conversion of objects to `group`/`version`: each object with `apiVersion` set to
 * `<group>/<version>` (just `<version>` for the core group ""), everything else unchanged. The first
 * object that is not JSON fails the whole conversion (a 400 `PluginError` naming its index), as
 * Kubernetes answers a conversion review: all objects or none.
 */
export function convertObjects(raws: readonly Uint8Array[], group: string, version: string): Uint8Array[] {
  const apiVersion = group === "" ? version : `${group}/${version}`;
  const objects = raws.map((raw, i) => parseObject(raw, `object ${i}`));
  return objects.map((object) => encoder.encode(JSON.stringify({ ...object, apiVersion })));
}
