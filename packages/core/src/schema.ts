import type { StandardSchemaV1 } from "@standard-schema/spec";
import { PluginError } from "./plugin-error.js";

/**
 * What declares a setting or a query model: any Standard Schema validator (zod, valibot, arktype
 * and others implement `~standard`), or {@link typed} for a plain type without validation.
 */
export type Schema<Output = unknown> = StandardSchemaV1<unknown, Output>;

/** The validated type a schema produces; `Default` when `S` is not a schema (absent). */
export type InferSchema<S, Default> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : Default;

/**
 * A schema that types a value as `T` and accepts it as it is, for authors who want types without a
 * validator: `jsonData: typed<{ url: string }>()`. Nothing is checked at run time.
 */
export function typed<T>(): Schema<T> {
  return {
    "~standard": {
      version: 1,
      vendor: "gfsdk",
      validate: (value) => ({ value: value as T }),
    },
  };
}

/** Whether `value` implements Standard Schema v1. */
export function isSchema(value: unknown): value is StandardSchemaV1 {
  const standard = (value as { "~standard"?: { version?: unknown; validate?: unknown } } | null)?.[
    "~standard"
  ];
  return typeof standard === "object" && standard !== null && typeof standard.validate === "function";
}

function pathText(path: StandardSchemaV1.Issue["path"]): string {
  if (!path || path.length === 0) return "";
  return path
    .map((segment) => {
      const key = typeof segment === "object" && segment !== null ? segment.key : segment;
      return typeof key === "symbol" ? key.toString() : String(key);
    })
    .join(".");
}

/** The issues of a failed validation as one line: `path: message; path: message`. */
export function issuesText(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues
    .map((issue) => {
      const path = pathText(issue.path);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/**
 * Validates `value` with `schema` (sync or async validators alike) and returns the schema's output;
 * on failure throws a 400 plugin {@link PluginError} `${what}: ${path}: ${message}`, naming every issue.
 * @private Internal code.
 */
export async function validateWithSchema<T>(schema: Schema<T>, value: unknown, what: string): Promise<T> {
  let result = schema["~standard"].validate(value);
  if (result instanceof Promise) result = await result;
  if (result.issues) {
    throw new PluginError(`${what}: ${issuesText(result.issues) || "invalid value"}`, { status: 400 });
  }
  return result.value;
}
