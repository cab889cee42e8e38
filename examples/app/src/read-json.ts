import { PluginError } from "@gfsdk/core";
import type { z } from "zod";

// TODO(examples): core's readJson (packages/core/src/read-json.ts) is not exported from @gfsdk/core
// yet; this stand-in has its contract (a 400 naming each failing path) until it is.
/** Reads a request body as JSON validated by `schema`; throws a 400 PluginError naming the problem. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  let value: unknown;
  try {
    value = JSON.parse(await request.text());
  } catch (error) {
    throw new PluginError(`invalid request body: not JSON (${(error as Error).message})`, { status: 400 });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new PluginError(`invalid request body: ${issues.join("; ")}`, { status: 400 });
}
