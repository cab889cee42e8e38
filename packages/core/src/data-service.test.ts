import { type } from "arktype";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { EncodableFrame } from "./encodable-frame.js";
import { DataFrameFormat } from "./gen/pluginv2/backend_pb.js";
import { definePlugin } from "./plugin.js";
import { DownstreamError, PluginError } from "./plugin-error.js";
import type { Schema } from "./schema.js";
import { clientFor, dsContext, queryMessage as q } from "./testing/service-client.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A frame of `rows` (strings) that encodes as `name:rows` and joins rows with concatRows. */
function rowsFrame(name: string, rows: string[]): EncodableFrame & { rows: string[] } {
  return {
    name,
    rows,
    encode: (_format, options) => encoder.encode(`${options?.include ?? "all"}:${name}:${rows.join(",")}`),
    concatRows: (others) =>
      rowsFrame(name, [...rows, ...others.flatMap((o) => (o as unknown as { rows: string[] }).rows)]),
  };
}

const text = (bytes: Uint8Array | undefined) => decoder.decode(bytes);

async function chunksOf(
  iterable: AsyncIterable<{
    refId: string;
    frameId: string;
    frame: Uint8Array;
    error: string;
    status: number;
    errorSource: string;
  }>,
) {
  const chunks: {
    refId: string;
    frameId: string;
    frame: string;
    error: string;
    status: number;
    errorSource: string;
  }[] = [];
  for await (const c of iterable) {
    chunks.push({
      refId: c.refId,
      frameId: c.frameId,
      frame: text(c.frame),
      error: c.error,
      status: c.status,
      errorSource: c.errorSource,
    });
  }
  return chunks;
}

describe("createDataService QueryData", () => {
  it.each<[string, Schema]>([
    ["zod", z.object({ seriesCount: z.number() })],
    ["valibot", v.object({ seriesCount: v.number() })],
    ["arktype", type({ seriesCount: "number" })],
  ])(
    "answers an invalid %s query model with a 400 plugin error naming the field path",
    async (_name, model) => {
      const seen: unknown[] = [];
      const { client } = clientFor(
        definePlugin({
          queryTypes: {
            walk: {
              model,
              query: (query) => {
                seen.push(query.model);
                return [];
              },
            },
          },
        }),
      );
      const res = await client.data.queryData({
        queries: [q("A", { seriesCount: "3" }, "walk"), q("B", { seriesCount: 3 }, "walk")],
      });
      expect(res.responses.A).toMatchObject({ status: 400, errorSource: "plugin" });
      expect(res.responses.A!.error).toMatch(/^invalid query model for refId "A": seriesCount: /);
      expect(res.responses.B).toMatchObject({ status: 200, error: "" });
      expect(seen).toEqual([{ seriesCount: 3 }]);
    },
  );

  it("hands the query handler the schema's output (defaults applied), and runs async validators", async () => {
    const slowSchema: Schema<{ n: number }> = {
      "~standard": {
        version: 1,
        vendor: "test",
        validate: async (value) => {
          await Promise.resolve();
          const n = (value as { n?: unknown }).n;
          return typeof n === "number"
            ? { value: { n } }
            : { issues: [{ message: "not a number", path: ["n"] }] };
        },
      },
    };
    const { client } = clientFor(
      definePlugin({
        queryTypes: {
          defaults: {
            model: z.object({ step: z.number().default(5) }),
            query: (query) => [encoder.encode(`step ${query.model.step}`)],
          },
          async: { model: slowSchema, query: (query) => [encoder.encode(`n ${query.model.n}`)] },
        },
      }),
    );
    const res = await client.data.queryData({
      queries: [q("A", {}, "defaults"), q("B", { n: 2 }, "async"), q("C", { n: "x" }, "async")],
    });
    expect(text(res.responses.A!.frames[0])).toBe("step 5");
    expect(text(res.responses.B!.frames[0])).toBe("n 2");
    expect(res.responses.C).toMatchObject({
      status: 400,
      error: 'invalid query model for refId "C": n: not a number',
    });
  });

  it("answers each query with a 400 naming the settings path when jsonData is invalid", async () => {
    let called = false;
    const { client } = clientFor(
      definePlugin({
        jsonData: z.object({ url: z.string(), timeoutMs: z.number().default(5000) }),
        query: () => {
          called = true;
          return [];
        },
      }),
    );
    const res = await client.data.queryData({
      pluginContext: dsContext({ url: "u", timeoutMs: "slow" }),
      queries: [q("A"), q("B")],
    });
    for (const refId of ["A", "B"]) {
      expect(res.responses[refId]).toMatchObject({ status: 400, errorSource: "plugin" });
      expect(res.responses[refId]!.error).toMatch(/^invalid jsonData: timeoutMs: /);
    }
    expect(called).toBe(false);
  });

  it("routes by queryType, sends other types to the fallback query, and batches a type with queries", async () => {
    const batches: string[][] = [];
    const { client } = clientFor(
      definePlugin({
        queryTypes: {
          one: { query: (query) => [encoder.encode(`one ${query.refId}`)] },
          many: {
            model: z.object({ q: z.string() }),
            queries: async (queries) => {
              batches.push(queries.map((query) => query.refId));
              return {
                ...Object.fromEntries(
                  queries.slice(1).map((query) => [query.refId, [encoder.encode(query.model.q)]]),
                ),
                // The first of the batch is left out: a 500 naming it.
              };
            },
          },
        },
        query: (query) => [encoder.encode(`fallback ${query.queryType}`)],
      }),
    );
    const res = await client.data.queryData({
      queries: [
        q("A", {}, "one"),
        q("B", { q: "b" }, "many"),
        q("C", { q: "c" }, "many"),
        q("D", { q: 1 }, "many"),
        q("E", {}, "other"),
        q("F", { q: "f" }, "many"),
      ],
    });
    expect(text(res.responses.A!.frames[0])).toBe("one A");
    expect(batches).toEqual([["B", "C", "F"]]);
    expect(res.responses.B).toMatchObject({ status: 500, errorSource: "plugin" });
    expect(res.responses.B!.error).toBe('queryTypes["many"].queries returned no result for refId "B"');
    expect(text(res.responses.C!.frames[0])).toBe("c");
    expect(res.responses.D).toMatchObject({ status: 400 });
    expect(text(res.responses.E!.frames[0])).toBe("fallback other");
    expect(text(res.responses.F!.frames[0])).toBe("f");
  });

  it("fails every query of a batch with the error its handler threw", async () => {
    const { client } = clientFor(
      definePlugin({
        queryTypes: {
          many: {
            queries: () => {
              throw new DownstreamError("db down", { status: 503 });
            },
          },
        },
      }),
    );
    const res = await client.data.queryData({ queries: [q("A", {}, "many"), q("B", {}, "many")] });
    for (const refId of ["A", "B"]) {
      expect(res.responses[refId]).toMatchObject({
        status: 503,
        error: "db down",
        errorSource: "downstream",
      });
    }
  });

  it("answers the whole request with queryData, by refId", async () => {
    const { client } = clientFor(
      definePlugin({
        queryData: async (_queries, ctx) => {
          expect(ctx.queries.map((query) => query.refId)).toEqual(["A", "B", "C"]);
          return {
            A: [encoder.encode("a")],
            B: { error: "no such table", status: 404, errorSource: "downstream" },
          };
        },
      }),
    );
    const res = await client.data.queryData({ queries: [q("A"), q("B"), q("C")] });
    expect(text(res.responses.A!.frames[0])).toBe("a");
    expect(res.responses.B).toMatchObject({ status: 404, error: "no such table", errorSource: "downstream" });
    expect(res.responses.C).toMatchObject({
      status: 500,
      error: 'queryData returned no result for refId "C"',
    });
  });

  it("keeps a DataResult's status without an error, and names a thrown error without a message", async () => {
    const { client } = clientFor(
      definePlugin({
        queryTypes: {
          partial: { query: () => ({ frames: [encoder.encode("p")], status: 206 }) },
          empty: {
            query: () => {
              throw new Error("");
            },
          },
        },
      }),
    );
    const res = await client.data.queryData({ queries: [q("A", {}, "partial"), q("B", {}, "empty")] });
    expect(res.responses.A).toMatchObject({ status: 206, error: "", errorSource: "" });
    expect(res.responses.B).toMatchObject({ status: 500, error: "query failed", errorSource: "plugin" });
  });

  it("collects the frames an async iterable handler yields", async () => {
    const { client } = clientFor(
      definePlugin({
        async *query() {
          yield rowsFrame("x", ["1"]);
          yield rowsFrame("", ["2"]);
        },
      }),
    );
    const res = await client.data.queryData({ queries: [q("A")] });
    expect(res.responses.A!.frames.map(text)).toEqual(["all:x:1", "all::2"]);
  });

  it("answers QueryData from a chunked-only plugin, joining the chunks of each frameId row by row", async () => {
    const { client } = clientFor(
      definePlugin({
        queryChunkedData: async (queries, writer) => {
          for (const query of queries) {
            if (query.refId === "B") {
              await writer.writeError("B", 422, new PluginError("bad input"));
              continue;
            }
            await writer.writeFrame(query.refId, "f1", rowsFrame("f1", ["a", "b"]));
            await writer.writeFrame(query.refId, "f2", rowsFrame("f2", ["z"]));
            await writer.writeFrame(query.refId, "f1", rowsFrame("f1", ["c"]));
          }
        },
      }),
    );
    const res = await client.data.queryData({ queries: [q("A"), q("B")], format: DataFrameFormat.JSON });
    expect(res.responses.A!.frames.map(text)).toEqual(["all:f1:a,b,c", "all:f2:z"]);
    expect(res.responses.A).toMatchObject({ status: 200, error: "" });
    expect(res.responses.B).toMatchObject({ status: 422, error: "bad input", errorSource: "plugin" });
  });

  it("fails the refId whose chunks cannot be joined, naming the frameId", async () => {
    const { client } = clientFor(
      definePlugin({
        queryChunkedData: async (_queries, writer) => {
          await writer.writeFrame("A", "raw", encoder.encode("1"));
          await writer.writeFrame("A", "raw", encoder.encode("2"));
        },
      }),
    );
    const res = await client.data.queryData({ queries: [q("A")] });
    expect(res.responses.A).toMatchObject({ status: 500, errorSource: "plugin" });
    expect(res.responses.A!.error).toContain('frameId "raw"');
  });
});

describe("createDataService QueryChunkedData", () => {
  it("writes chunks by refId and frameId: schema and data first, data only after", async () => {
    const { client } = clientFor(
      definePlugin({
        queryChunkedData: async (queries, writer) => {
          for (const query of queries) {
            await writer.writeFrame(query.refId, "f", rowsFrame("f", ["1"]));
            await writer.writeFrame(query.refId, "f", rowsFrame("f", ["2"]));
            await writer.writeError(query.refId, 404, "gone");
          }
        },
      }),
    );
    const chunks = await chunksOf(
      client.data.queryChunkedData({ queries: [q("A"), q("B")], format: DataFrameFormat.JSON }),
    );
    expect(chunks.filter((c) => c.refId === "A")).toEqual([
      { refId: "A", frameId: "f", frame: "all:f:1", error: "", status: 200, errorSource: "" },
      { refId: "A", frameId: "f", frame: "data:f:2", error: "", status: 200, errorSource: "" },
      { refId: "A", frameId: "", frame: "", error: "gone", status: 404, errorSource: "plugin" },
    ]);
    expect(chunks).toHaveLength(6);
  });

  it("fails the queries a throwing chunked handler had not answered", async () => {
    const { client } = clientFor(
      definePlugin({
        queryChunkedData: async (_queries, writer) => {
          await writer.writeFrame("A", "f", rowsFrame("f", ["1"]));
          throw new DownstreamError("lost the connection");
        },
      }),
    );
    const chunks = await chunksOf(client.data.queryChunkedData({ queries: [q("A"), q("B")] }));
    expect(chunks.map((c) => [c.refId, c.error, c.errorSource])).toEqual([
      ["A", "", ""],
      ["B", "lost the connection", "downstream"],
    ]);
  });

  it("answers from per-query handlers, one chunk per frame, frameId the frame's name or refId-index", async () => {
    const { client } = clientFor(
      definePlugin({
        queryTypes: {
          list: { query: () => [rowsFrame("named", ["1"]), rowsFrame("", ["2"])] },
          gen: {
            async *query() {
              yield rowsFrame("", ["a"]);
              yield rowsFrame("", ["b"]);
            },
          },
          none: { query: () => [] },
          fail: { query: () => ({ error: "broken", status: 502, errorSource: "downstream" as const }) },
        },
      }),
    );
    const chunks = await chunksOf(
      client.data.queryChunkedData({
        queries: [q("A", {}, "list"), q("B", {}, "gen"), q("C", {}, "none"), q("D", {}, "fail")],
      }),
    );
    const byRef = (refId: string) =>
      chunks.filter((c) => c.refId === refId).map((c) => [c.frameId, c.frame, c.status, c.error]);
    expect(byRef("A")).toEqual([
      ["named", "all:named:1", 200, ""],
      ["A-1", "all::2", 200, ""],
    ]);
    expect(byRef("B")).toEqual([
      ["B-0", "all::a", 200, ""],
      ["B-1", "all::b", 200, ""],
    ]);
    // A query answered with no frames still gets one chunk with its status.
    expect(byRef("C")).toEqual([["", "", 200, ""]]);
    expect(byRef("D")).toEqual([["", "", 502, "broken"]]);
  });

  it("answers each query with the settings error as its one chunk", async () => {
    const { client } = clientFor(
      definePlugin({ secureJsonData: z.object({ apiKey: z.string() }), queryChunkedData: async () => {} }),
    );
    const chunks = await chunksOf(
      client.data.queryChunkedData({ pluginContext: dsContext({}), queries: [q("A"), q("B")] }),
    );
    expect(chunks.map((c) => [c.refId, c.status, c.errorSource])).toEqual([
      ["A", 400, "plugin"],
      ["B", 400, "plugin"],
    ]);
    expect(chunks[0]!.error).toMatch(/^invalid secureJsonData: apiKey: /);
  });
});

describe("definePlugin", () => {
  it("refuses queryData together with queryTypes or query, and a query type without one handler", () => {
    expect(() => definePlugin({ queryData: async () => ({}), query: () => [] })).toThrow(/queryData/);
    expect(() => definePlugin({ queryData: async () => ({}), queryTypes: {} })).toThrow(/queryData/);
    expect(() => definePlugin({ queryTypes: { a: {} } })).toThrow(/exactly one of `query` and `queries`/);
    expect(() => definePlugin({ queryTypes: { a: { query: () => [], queries: async () => ({}) } } })).toThrow(
      /exactly one/,
    );
    expect(() => definePlugin({ jsonData: { url: "x" } as never })).toThrow(/Standard Schema/);
  });
});
