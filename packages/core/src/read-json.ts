import type { StandardSchemaV1 } from "@standard-schema/spec";
import { PluginError } from "./plugin-error.js";

/** A path segment of a Standard Schema issue, as text (`items.0.name`). */
function segmentText(segment: PropertyKey | StandardSchemaV1.PathSegment): string {
  const key = typeof segment === "object" ? segment.key : segment;
  return typeof key === "symbol" ? key.toString() : String(key);
}

/** The issues of a failed validation as one line: `path: message` each, `; ` between. */
function issuesText(issues: readonly StandardSchemaV1.Issue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path?.map(segmentText).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/**
 * Reads a resource request's body as JSON. Without `schema` the parsed value is returned as
 * `unknown`; with a Standard Schema (`@standard-schema/spec`: zod, valibot, arktype…) the value is
 * validated (async validators too) and the schema's output returned, typed from it. An empty or
 * malformed body, or one the schema refuses, throws a 400 {@link PluginError} (source `plugin`)
 * whose message names the problem and each failing field's path
 * (`invalid request body: items.0.name: Expected string, received number`); thrown from a route
 * handler, the router answers it as JSON `{ "message" }`. For JSON answers use `Response.json`.
 */
export function readJson(request: Request): Promise<unknown>;
export function readJson<Schema extends StandardSchemaV1>(
  request: Request,
  schema: Schema,
): Promise<StandardSchemaV1.InferOutput<Schema>>;
export async function readJson(request: Request, schema?: StandardSchemaV1): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "")
    throw new PluginError("invalid request body: it is empty, JSON was expected", { status: 400 });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PluginError(
      `invalid request body: not JSON (${error instanceof Error ? error.message : String(error)})`,
      {
        status: 400,
        cause: error,
      },
    );
  }
  if (!schema) return value;
  const result = await schema["~standard"].validate(value);
  if (result.issues)
    throw new PluginError(`invalid request body: ${issuesText(result.issues)}`, { status: 400 });
  return result.value;
}
