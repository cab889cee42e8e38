// Type tests of definePlugin's inference. `npm run typecheck` checks this file: every
// `expectTypeOf` must hold, and every `@ts-expect-error` line must fail to compile (if one starts
// compiling, the directive itself is an error). Vitest runs it too, which proves the definitions
// are accepted at run time.
import { type } from "arktype";
import * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type { DataQuery } from "./data-query.js";
import type { FrameLike } from "./encodable-frame.js";
import { CheckHealthResponse_HealthStatus as HealthStatus } from "./gen/pluginv2/backend_pb.js";
import { definePlugin, type Plugin } from "./plugin.js";
import type { JsonObject } from "./plugin-context.js";
import { typed } from "./schema.js";

class Client {
  constructor(
    readonly url: string,
    readonly apiKey: string,
  ) {}
  tables(): string[] {
    return [];
  }
  close(): void {}
}

const ok = { status: HealthStatus.OK };

describe("definePlugin types", () => {
  it("types settings from zod schemas and the instance from createInstance's return type", () => {
    const plugin = definePlugin({
      jsonData: z.object({ url: z.string(), timeoutMs: z.number().int().default(5000) }),
      secureJsonData: z.object({ apiKey: z.string() }),
      createInstance: (settings) => {
        expectTypeOf(settings.jsonData).toEqualTypeOf<{ url: string; timeoutMs: number }>();
        expectTypeOf(settings.secureJsonData).toEqualTypeOf<{ apiKey: string }>();
        return new Client(settings.jsonData.url, settings.secureJsonData.apiKey);
      },
      disposeInstance: (client) => {
        expectTypeOf(client).toEqualTypeOf<Client>();
        client.close();
      },
      checkHealth: (ctx) => {
        expectTypeOf(ctx.instance).toEqualTypeOf<Client>();
        expectTypeOf(ctx.jsonData.timeoutMs).toEqualTypeOf<number>();
        expectTypeOf(ctx.pluginContext.dataSourceInstanceSettings?.jsonData.url).toEqualTypeOf<
          string | undefined
        >();
        // @ts-expect-error a setting the schema does not declare
        ctx.jsonData.missing;
        // @ts-expect-error a setting of the wrong type
        const url: number = ctx.jsonData.url;
        void url;
        return ok;
      },
    });
    expectTypeOf(plugin).toEqualTypeOf<
      Plugin<{ url: string; timeoutMs: number }, { apiKey: string }, Client>
    >();
  });

  it("types settings and the instance with valibot and arktype schemas", () => {
    definePlugin({
      jsonData: v.object({ url: v.string(), retries: v.optional(v.number(), 3) }),
      secureJsonData: type({ apiKey: "string" }),
      createInstance: ({ jsonData, secureJsonData }) => {
        expectTypeOf(jsonData).toEqualTypeOf<{ url: string; retries: number }>();
        expectTypeOf(secureJsonData).toEqualTypeOf<{ apiKey: string }>();
        return { client: new Client(jsonData.url, secureJsonData.apiKey), retries: jsonData.retries };
      },
      query: (query, ctx) => {
        expectTypeOf(ctx.instance).toEqualTypeOf<{ client: Client; retries: number }>();
        expectTypeOf(query.model).toEqualTypeOf<JsonObject>();
        // @ts-expect-error the instance has no such member
        ctx.instance.missing;
        return [];
      },
    });
  });

  it("types settings with typed<T>() and defaults without a schema", () => {
    definePlugin({
      jsonData: typed<{ url?: string }>(),
      createInstance: ({ jsonData }) => jsonData.url ?? "none",
      checkHealth: ({ jsonData, secureJsonData, instance }) => {
        expectTypeOf(jsonData).toEqualTypeOf<{ url?: string }>();
        expectTypeOf(secureJsonData).toEqualTypeOf<Record<string, string>>();
        expectTypeOf(instance).toEqualTypeOf<string>();
        return ok;
      },
    });
    definePlugin({
      checkHealth: ({ jsonData, instance }) => {
        expectTypeOf(jsonData).toEqualTypeOf<JsonObject>();
        expectTypeOf(instance).toEqualTypeOf<undefined>();
        return ok;
      },
    });
  });

  it("types each query type's model from its own schema, per query and per batch", () => {
    definePlugin({
      createInstance: () => new Client("u", "k"),
      queryTypes: {
        metrics: {
          model: z.object({ expr: z.string(), step: z.number().optional() }),
          query: async (query, ctx) => {
            expectTypeOf(query).toEqualTypeOf<DataQuery<{ expr: string; step?: number | undefined }>>();
            expectTypeOf(ctx.instance).toEqualTypeOf<Client>();
            // @ts-expect-error expr is a string
            const expr: number = query.model.expr;
            void expr;
            return [];
          },
        },
        logs: {
          model: v.object({ q: v.string() }),
          queries: async (queries) => {
            expectTypeOf(queries).toEqualTypeOf<DataQuery<{ q: string }>[]>();
            return Object.fromEntries(queries.map((q) => [q.refId, { frames: [] }]));
          },
        },
        traces: {
          model: type({ id: "string", "limit?": "number" }),
          query: (query) => {
            expectTypeOf(query.model).toEqualTypeOf<{ id: string; limit?: number }>();
            return [];
          },
        },
        plain: {
          model: typed<{ n: number }>(),
          query: (query) => {
            expectTypeOf(query.model.n).toEqualTypeOf<number>();
            return [];
          },
        },
        untyped: {
          query: (query) => {
            expectTypeOf(query.model).toEqualTypeOf<JsonObject>();
            return [];
          },
        },
      },
      query: (query) => {
        expectTypeOf(query.model).toEqualTypeOf<JsonObject>();
        return [];
      },
    });
  });

  it("accepts frames, a DataResult or an async iterable of frames from a query handler", () => {
    definePlugin({
      queryTypes: {
        stream: {
          async *query() {
            yield new Uint8Array([1]) as FrameLike;
          },
        },
        result: { query: () => ({ error: "nope", status: 502, errorSource: "downstream" as const }) },
      },
    });
    definePlugin({
      queryTypes: {
        // @ts-expect-error a query handler cannot answer a number
        bad: { query: () => 42 },
      },
    });
  });

  it("types route params from each route's pattern", () => {
    definePlugin({
      createInstance: () => new Client("u", "k"),
      routes: {
        "GET /tables": async (_request, ctx) => Response.json(ctx.instance.tables()),
        "GET /tables/:name/rows/:id": async (_request, ctx) => {
          expectTypeOf(ctx.params).toEqualTypeOf<{ name: string; id: string }>();
          // @ts-expect-error the pattern has no such param
          ctx.params.other;
          expectTypeOf(ctx.url).toEqualTypeOf<URL>();
          return Response.json({ name: ctx.params.name });
        },
      },
      callResource: async (_request, ctx) => {
        expectTypeOf(ctx.instance).toEqualTypeOf<Client>();
        return new Response("fallback");
      },
    });
  });

  it("types the chunked handler's writer and queries", () => {
    definePlugin({
      queryChunkedData: async (queries, writer, ctx) => {
        expectTypeOf(queries).toEqualTypeOf<DataQuery[]>();
        expectTypeOf(ctx.format).toEqualTypeOf<"arrow" | "json">();
        await writer.writeFrame("A", "a-0", new Uint8Array());
        await writer.writeError("B", 400, "bad thing");
        // @ts-expect-error writeFrame needs a refId and a frameId
        await writer.writeFrame(new Uint8Array());
      },
    });
  });
});
