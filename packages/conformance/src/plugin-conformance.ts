import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { createLogger, HealthStatus, PublishStreamStatus, SubscribeStreamStatus } from "@gfsdk/core";
import type { PluginClient } from "@gfsdk/core/protocol";
import { googleRpc, pluginv2 } from "@gfsdk/core/protocol";
import { FIELD_TYPES, type Frame, frameFromArrow, frameFromJSON } from "@gfsdk/dataframe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query, queryDataRequest, testdataContext } from "./requests.js";

/** A plugin client on one transport, and how to tear it down. */
export interface ConformanceTarget {
  client: PluginClient;
  close(): Promise<void>;
}

/** A logger that drops the plugin's records, so test output shows test results. */
export const quietLogger = createLogger({ write: () => {} });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function decodeFrames(response: pluginv2.DataResponse): Frame[] {
  return response.frames.map((bytes) =>
    response.format === pluginv2.DataFrameFormat.JSON
      ? frameFromJSON(decoder.decode(bytes))
      : frameFromArrow(bytes),
  );
}

/** The frames of one frameId of a chunked answer, each chunk decoded on its own. */
interface ChunkGroup {
  frameId: string;
  chunks: Frame[];
}

/** A chunked answer: frame groups per refId in arrival order, and the error message of each failed refId. */
interface ChunkedAnswer {
  frames: Map<string, ChunkGroup[]>;
  errors: Map<string, pluginv2.QueryChunkedDataResponse>;
}

/**
 * Decodes one chunk. A JSON chunk after the first of its frameId carries data only (the contract),
 * so it is decoded with the schema of that first chunk.
 */
function decodeFrameChunk(
  m: pluginv2.QueryChunkedDataResponse,
  format: pluginv2.DataFrameFormat,
  schema?: unknown,
): Frame {
  if (format !== pluginv2.DataFrameFormat.JSON) return frameFromArrow(m.frame);
  const parsed = JSON.parse(decoder.decode(m.frame)) as { schema?: unknown; data?: unknown };
  if (schema === undefined) {
    expect(parsed.schema, `first chunk of ${m.refId}/${m.frameId} has a schema`).toBeDefined();
    return frameFromJSON(parsed);
  }
  expect(parsed.schema, `later chunk of ${m.refId}/${m.frameId} has data only`).toBeUndefined();
  return frameFromJSON({ schema, data: parsed.data });
}

function decodeChunks(
  messages: pluginv2.QueryChunkedDataResponse[],
  format: pluginv2.DataFrameFormat,
): ChunkedAnswer {
  const answer: ChunkedAnswer = { frames: new Map(), errors: new Map() };
  const schemas = new Map<string, unknown>();
  for (const m of messages) {
    expect(m.refId, "every message has a refId").not.toBe("");
    if (m.error !== "") {
      expect(m.frame, `error message of ${m.refId} carries no frame`).toHaveLength(0);
      expect(answer.errors.has(m.refId), `one error message for ${m.refId}`).toBe(false);
      answer.errors.set(m.refId, m);
      continue;
    }
    expect(m.format).toBe(format);
    expect(m.frameId, `a frame of ${m.refId} has a frameId`).not.toBe("");
    const groups = answer.frames.get(m.refId) ?? [];
    answer.frames.set(m.refId, groups);
    let group = groups.at(-1);
    if (group?.frameId !== m.frameId) {
      expect(
        groups.some((g) => g.frameId === m.frameId),
        `chunks of ${m.frameId} are consecutive`,
      ).toBe(false);
      group = { frameId: m.frameId, chunks: [] };
      groups.push(group);
    }
    const key = `${m.refId}\u0000${m.frameId}`;
    const frame = decodeFrameChunk(m, format, schemas.get(key));
    if (!schemas.has(key) && format === pluginv2.DataFrameFormat.JSON)
      schemas.set(key, (JSON.parse(decoder.decode(m.frame)) as { schema: unknown }).schema);
    group.chunks.push(frame);
  }
  return answer;
}

/** Checks that the chunks of each frameId, joined row by row, are the frames QueryData answers. */
function expectSameFrames(groups: ChunkGroup[], want: Frame[]): void {
  expect(groups).toHaveLength(want.length);
  groups.forEach((group, i) => {
    const expected = want[i]!;
    const first = group.chunks[0]!;
    expect(first.name).toBe(expected.name);
    expect(first.fields.map((f) => [f.name, f.type, f.nullable])).toEqual(
      expected.fields.map((f) => [f.name, f.type, f.nullable]),
    );
    expected.fields.forEach((field, j) => {
      const joined = group.chunks.flatMap((c) => c.fields[j]!.toArray() as unknown[]);
      expect(joined, `field ${field.name} of frame ${i} joined from ${group.chunks.length} chunks`).toEqual(
        field.toArray(),
      );
    });
  });
}

/** The context Grafana sends to admission and conversion: the plugin's, without data source settings. */
function pluginOnlyContext(): MessageInitShape<typeof pluginv2.PluginContextSchema> {
  const { dataSourceInstanceSettings: _, ...rest } = testdataContext();
  return rest;
}

async function expectCode(promise: Promise<unknown>, code: Code): Promise<ConnectError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected the call to fail with ${Code[code]}`).toBeInstanceOf(ConnectError);
  expect(Code[(error as ConnectError).code]).toBe(Code[code]);
  return error as ConnectError;
}

/** What differs between transports by design. */
export interface ConformanceOptions {
  /** The adapter serves process and request metrics for plugins without a metrics handler (gRPC does). */
  defaultMetrics?: boolean;
}

/**
 * The conformance suite: drives the testdata example plugin through every RPC on one transport.
 * Every adapter runs it; `setup` returns a client on that adapter.
 */
export function describePluginConformance(
  transport: string,
  setup: () => Promise<ConformanceTarget>,
  options: ConformanceOptions = {},
): void {
  describe(`plugin conformance over ${transport}`, () => {
    let target: ConformanceTarget;
    let client: PluginClient;
    beforeAll(async () => {
      target = await setup();
      client = target.client;
    });
    afterAll(async () => {
      await target?.close();
    });

    describe("Diagnostics.CheckHealth", () => {
      it("reports OK for a working data source", async () => {
        const res = await client.diagnostics.checkHealth({ pluginContext: testdataContext() });
        expect(res.status).toBe(HealthStatus.OK);
        expect(res.message).toBe("Data source is working");
      });
      it("reports ERROR when jsonData says fail", async () => {
        const res = await client.diagnostics.checkHealth({ pluginContext: testdataContext({ fail: true }) });
        expect(res.status).toBe(HealthStatus.ERROR);
        expect(res.message).toContain("configured to fail");
        expect(["plugin", "downstream"]).toContain(res.errorSource);
      });
      it("sets no errorSource on a healthy answer", async () => {
        const res = await client.diagnostics.checkHealth({ pluginContext: testdataContext() });
        expect(res.errorSource).toBe("");
      });
    });

    describe("Diagnostics.CollectMetrics", () => {
      if (options.defaultMetrics) {
        it("serves process and request metrics in Prometheus text format", async () => {
          await client.diagnostics.checkHealth({ pluginContext: testdataContext() });
          const res = await client.diagnostics.collectMetrics({ pluginContext: testdataContext() });
          const text = decoder.decode(res.metrics?.prometheus ?? new Uint8Array());
          expect(text).toMatch(/^process_cpu_user_seconds_total /m);
          expect(text).toMatch(
            /^grafana_plugin_request_total\{endpoint="checkHealth",status="ok",status_source="plugin"\} [1-9]/m,
          );
        });
      } else {
        it("answers UNIMPLEMENTED when the plugin has no metrics handler", async () => {
          await expectCode(
            client.diagnostics.collectMetrics({ pluginContext: testdataContext() }),
            Code.Unimplemented,
          );
        });
      }
    });

    describe("Data.QueryData", () => {
      it("answers random_walk with seriesCount frames of increasing times inside the range", async () => {
        const res = await client.data.queryData(
          queryDataRequest([query("A", "random_walk", { seriesCount: 3, seed: 7 }, { maxDataPoints: 50n })]),
        );
        const a = res.responses.A!;
        expect(a.status).toBe(200);
        expect(a.error).toBe("");
        expect(a.format).toBe(pluginv2.DataFrameFormat.ARROW);
        const frames = decodeFrames(a);
        expect(frames).toHaveLength(3);
        for (const frame of frames) {
          expect(frame.refId).toBe("A");
          const [time, value] = frame.fields;
          expect(time!.name).toBe("time");
          expect(time!.type).toBe("time");
          expect(time!.nullable).toBe(false);
          expect(value!.type).toBe("float64");
          expect(frame.rowCount).toBeGreaterThan(1);
          expect(frame.rowCount).toBeLessThanOrEqual(50);
          const times = time!.toArray() as bigint[];
          for (let i = 1; i < times.length; i++)
            expect(times[i]! > times[i - 1]!, `time ${i} increases`).toBe(true);
          expect(times[0]! >= 1_700_000_000_000n * 1_000_000n).toBe(true);
          expect(times.at(-1)! <= 1_700_000_360_000n * 1_000_000n).toBe(true);
        }
      });

      it("gives the same values for the same seed and request", async () => {
        const req = queryDataRequest([query("A", "random_walk", { seed: 42 })]);
        const one = decodeFrames((await client.data.queryData(req)).responses.A!);
        const two = decodeFrames((await client.data.queryData(req)).responses.A!);
        expect(one[0]!.fields[1]!.toArray()).toEqual(two[0]!.fields[1]!.toArray());
        expect(one[0]!.rowCount).toBe(100);
      });

      it("echoes format JSON and encodes frames as frame JSON", async () => {
        const res = await client.data.queryData(
          queryDataRequest([query("B", "random_walk", { seed: 1 })], pluginv2.DataFrameFormat.JSON),
        );
        const b = res.responses.B!;
        expect(b.format).toBe(pluginv2.DataFrameFormat.JSON);
        expect(b.status).toBe(200);
        const json = JSON.parse(decoder.decode(b.frames[0]!)) as { schema: { refId: string }; data: unknown };
        expect(json.schema.refId).toBe("B");
        expect(decodeFrames(b)[0]!.rowCount).toBe(100);
      });

      it("answers all_types with every field type and its nullable twin", async () => {
        for (const format of [pluginv2.DataFrameFormat.ARROW, pluginv2.DataFrameFormat.JSON]) {
          const res = await client.data.queryData(queryDataRequest([query("A", "all_types", {})], format));
          const frames = decodeFrames(res.responses.A!);
          expect(frames).toHaveLength(1);
          const frame = frames[0]!;
          expect(frame.name).toBe("all_types");
          expect(frame.rowCount).toBeGreaterThanOrEqual(3);
          expect(frame.meta?.executedQueryString).toBeTruthy();
          const types = new Set(frame.fields.map((f) => `${f.type}${f.nullable ? "?" : ""}`));
          for (const t of FIELD_TYPES) {
            expect(types, `type ${t}`).toContain(t);
            expect(types, `type ${t}?`).toContain(`${t}?`);
          }
          for (const field of frame.fields.filter((f) => f.nullable)) {
            expect(field.toArray(), `nulls in ${field.name}`).toContain(null);
          }
          expect(frame.fields.some((f) => f.labels && Object.keys(f.labels).length > 0)).toBe(true);
          expect(frame.fields.some((f) => f.config !== undefined)).toBe(true);
        }
      });

      it("answers rows with n rows of time, value and label", async () => {
        const res = await client.data.queryData(queryDataRequest([query("R", "rows", { rows: 1000 })]));
        const [frame] = decodeFrames(res.responses.R!);
        expect(frame!.rowCount).toBe(1000);
        expect(frame!.fields.map((f) => [f.name, f.type])).toEqual([
          ["time", "time"],
          ["value", "float64"],
          ["label", "string"],
        ]);
      });

      it("answers error queries with the given source and status and no frames", async () => {
        const res = await client.data.queryData(
          queryDataRequest([
            query("P", "error", { source: "plugin" }),
            query("D", "error", { source: "downstream", status: 502, message: "upstream down" }),
          ]),
        );
        expect(res.responses.P).toMatchObject({ status: 500, errorSource: "plugin", frames: [] });
        expect(res.responses.P!.error).not.toBe("");
        expect(res.responses.D).toMatchObject({
          status: 502,
          errorSource: "downstream",
          error: "upstream down",
        });
      });

      it.each([
        ["rows", { rows: "abc" }, 'rows.rows must be an integer from 0 to 10,000,000, got "abc"'],
        ["rows", { rows: 10_000_001 }, "rows.rows must be an integer from 0 to 10,000,000, got 10000001"],
        ["rows", { rows: 2.5 }, "rows.rows must be an integer from 0 to 10,000,000, got 2.5"],
        [
          "random_walk",
          { seriesCount: 1001 },
          "random_walk.seriesCount must be an integer from 1 to 1,000, got 1001",
        ],
        [
          "random_walk",
          { seriesCount: 0 },
          "random_walk.seriesCount must be an integer from 1 to 1,000, got 0",
        ],
        ["random_walk", { seed: "x" }, 'random_walk.seed must be an integer, got "x"'],
        ["slow", { ms: 2_147_483_648 }, "slow.ms must be an integer from 0 to 600,000, got 2147483648"],
        ["slow", { ms: -1 }, "slow.ms must be an integer from 0 to 600,000, got -1"],
        ["error", { status: 404.5 }, "error.status must be an integer from 100 to 599, got 404.5"],
        ["error", { source: "elsewhere" }, 'error.source must be "plugin" or "downstream", got "elsewhere"'],
      ])(
        "answers %s %j with a 400 plugin error naming the field, and the other queries still answer",
        async (queryType, model, message) => {
          const res = await client.data.queryData(
            queryDataRequest([query("X", queryType, model), query("A", "random_walk", { seed: 3 })]),
          );
          expect(res.responses.X).toMatchObject({
            status: 400,
            errorSource: "plugin",
            error: message,
            frames: [],
          });
          expect(res.responses.A).toMatchObject({ status: 200 });
          expect(res.responses.A!.frames).toHaveLength(1);
        },
      );

      it("answers an unknown queryType with 400 plugin error naming it, and the other queries still answer", async () => {
        const res = await client.data.queryData(
          queryDataRequest([query("U", "no_such_type", {}), query("A", "random_walk", { seed: 3 })]),
        );
        expect(res.responses.U).toMatchObject({ status: 400, errorSource: "plugin" });
        expect(res.responses.U!.error).toContain("no_such_type");
        expect(res.responses.A!.status).toBe(200);
        expect(res.responses.A!.frames).toHaveLength(1);
      });

      it("answers invalid query JSON with 400 plugin error for that refId", async () => {
        const res = await client.data.queryData(
          queryDataRequest([query("J", "random_walk", "{not json"), query("A", "random_walk", {})]),
        );
        expect(res.responses.J).toMatchObject({ status: 400, errorSource: "plugin" });
        expect(res.responses.J!.error).toMatch(/invalid query JSON/);
        expect(res.responses.A!.status).toBe(200);
      });

      it("answers slow after waiting, like random_walk", async () => {
        const res = await client.data.queryData(queryDataRequest([query("S", "slow", { ms: 50, seed: 1 })]));
        expect(res.responses.S!.status).toBe(200);
        expect(decodeFrames(res.responses.S!)).toHaveLength(1);
      });

      it("stops a slow query when the call is cancelled, and keeps serving", async () => {
        const controller = new AbortController();
        const call = client.data.queryData(queryDataRequest([query("S", "slow", { ms: 60_000 })]), {
          signal: controller.signal,
        });
        setTimeout(() => controller.abort(), 100);
        const error = await expectCode(call, Code.Canceled);
        expect(error).toBeInstanceOf(ConnectError);
        const res = await client.diagnostics.checkHealth({ pluginContext: testdataContext() });
        expect(res.status).toBe(HealthStatus.OK);
      });

      it("fails a slow query at the caller's deadline", async () => {
        await expectCode(
          client.data.queryData(queryDataRequest([query("S", "slow", { ms: 60_000 })]), { timeoutMs: 200 }),
          Code.DeadlineExceeded,
        );
      });
    });

    describe("Data.QueryChunkedData", () => {
      async function readChunks(
        queries: MessageInitShape<typeof pluginv2.DataQuerySchema>[],
        format: pluginv2.DataFrameFormat = pluginv2.DataFrameFormat.ARROW,
      ): Promise<pluginv2.QueryChunkedDataResponse[]> {
        const messages: pluginv2.QueryChunkedDataResponse[] = [];
        for await (const m of client.data.queryChunkedData({
          pluginContext: testdataContext(),
          queries,
          format,
        }))
          messages.push(m);
        return messages;
      }

      it.each([
        ["ARROW", pluginv2.DataFrameFormat.ARROW],
        ["JSON", pluginv2.DataFrameFormat.JSON],
      ])(
        "streams each random_walk frame as one chunk under its own frameId, as QueryData answers it (%s)",
        async (_, format) => {
          const q = query("A", "random_walk", { seriesCount: 3, seed: 7 }, { maxDataPoints: 50n });
          const want = decodeFrames(
            (await client.data.queryData(queryDataRequest([q], format))).responses.A!,
          );
          const answer = decodeChunks(await readChunks([q], format), format);
          expect(answer.errors.size).toBe(0);
          const groups = answer.frames.get("A")!;
          expect(groups.map((g) => g.chunks.length)).toEqual([1, 1, 1]);
          expect(new Set(groups.map((g) => g.frameId)).size).toBe(3);
          expectSameFrames(groups, want);
        },
      );

      it.each([
        ["ARROW", { rows: 2500, chunkRows: 1000 }, [1000, 1000, 500], pluginv2.DataFrameFormat.ARROW],
        ["JSON", { rows: 2500, chunkRows: 1000 }, [1000, 1000, 500], pluginv2.DataFrameFormat.JSON],
        ["ARROW", { rows: 3, chunkRows: 1 }, [1, 1, 1], pluginv2.DataFrameFormat.ARROW],
        ["ARROW", { rows: 0 }, [0], pluginv2.DataFrameFormat.ARROW],
        ["ARROW", { rows: 100_001 }, [100_000, 1], pluginv2.DataFrameFormat.ARROW],
        ["JSON", { rows: 100_001 }, [100_000, 1], pluginv2.DataFrameFormat.JSON],
      ])(
        "cuts a rows frame into chunks of at most chunkRows rows (%s %j)",
        async (_, model, sizes, format) => {
          const q = query("R", "rows", model);
          const want = decodeFrames(
            (await client.data.queryData(queryDataRequest([q], format))).responses.R!,
          );
          const messages = await readChunks([q], format);
          for (const m of messages) {
            expect(m.format).toBe(format);
            expect(m.status === 0 || m.status === 200).toBe(true);
          }
          const answer = decodeChunks(messages, format);
          const groups = answer.frames.get("R")!;
          expect(groups).toHaveLength(1);
          expect(groups[0]!.chunks.map((c) => c.rowCount)).toEqual(sizes);
          expectSameFrames(groups, want);
        },
      );

      it("sends one message with refId, error and status for each failing query, and the others still stream", async () => {
        const messages = await readChunks([
          query("A", "rows", { rows: 300, chunkRows: 100 }),
          query("B", "error", { source: "downstream", status: 502, message: "upstream down" }),
          query("C", "no_such_type", {}),
          query("D", "rows", { rows: 10, chunkRows: 0 }),
          query("E", "random_walk", { seed: 3 }),
        ]);
        const answer = decodeChunks(messages, pluginv2.DataFrameFormat.ARROW);
        expect(answer.errors.get("B")).toMatchObject({
          status: 502,
          error: "upstream down",
          frame: new Uint8Array(),
        });
        expect(answer.errors.get("C")!.status).toBe(400);
        expect(answer.errors.get("C")!.error).toContain("no_such_type");
        expect(answer.errors.get("D")!.status).toBe(400);
        expect(answer.errors.get("D")!.error).toContain("chunkRows");
        for (const ref of ["B", "C", "D"]) {
          expect(
            messages.filter((m) => m.refId === ref),
            `one message for ${ref}`,
          ).toHaveLength(1);
          expect(answer.frames.has(ref)).toBe(false);
        }
        expect(answer.frames.get("A")![0]!.chunks.map((c) => c.rowCount)).toEqual([100, 100, 100]);
        expect(answer.frames.get("E")).toHaveLength(1);
      });

      it.each([
        [{ rows: 10, chunkRows: 0 }],
        [{ rows: 10, chunkRows: 10_000_001 }],
        [{ rows: 10, chunkRows: 2.5 }],
        [{ rows: 10, chunkRows: "100" }],
      ])("answers a bad chunkRows %j with a 400 naming chunkRows", async (model) => {
        const messages = await readChunks([query("X", "rows", model)]);
        expect(messages).toHaveLength(1);
        expect(messages[0]).toMatchObject({ refId: "X", status: 400 });
        expect(messages[0]!.error).toContain("chunkRows");
        expect(["", "plugin"]).toContain(messages[0]!.errorSource);
      });

      it("keeps answering other calls while a consumer has not read a large answer", async () => {
        const stream = client.data.queryChunkedData({
          pluginContext: testdataContext(),
          queries: [query("R", "rows", { rows: 1_000_000, chunkRows: 10_000 })],
        });
        const iterator = stream[Symbol.asyncIterator]();
        const first = await iterator.next();
        expect(first.done).toBe(false);
        // The consumer holds the stream here; the plugin must still answer.
        expect((await client.diagnostics.checkHealth({ pluginContext: testdataContext() })).status).toBe(
          HealthStatus.OK,
        );
        const res = await client.data.queryData(queryDataRequest([query("A", "random_walk", { seed: 1 })]));
        expect(res.responses.A!.status).toBe(200);
        let chunks = 1;
        let rows = decodeFrameChunk(first.value, pluginv2.DataFrameFormat.ARROW).rowCount;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          chunks++;
          rows += frameFromArrow(next.value.frame).rowCount;
        }
        expect(chunks).toBe(100);
        expect(rows).toBe(1_000_000);
      });
    });

    describe("Resource.CallResource", () => {
      async function collect(req: Parameters<PluginClient["resource"]["callResource"]>[0]) {
        const messages: pluginv2.CallResourceResponse[] = [];
        for await (const m of client.resource.callResource(req)) messages.push(m);
        return messages;
      }

      it("echoes a GET with its query string and headers", async () => {
        const messages = await collect({
          pluginContext: testdataContext(),
          path: "echo",
          method: "GET",
          url: "/api/datasources/uid/testdata-uid/resources/echo?x=1",
          headers: { "X-Test": { values: ["yes"] } },
        });
        expect(messages).toHaveLength(1);
        expect(messages[0]!.code).toBe(200);
        expect(messages[0]!.errorSource).toBe("");
        expect(messages[0]!.headers["content-type"]?.values[0]).toContain("application/json");
        const body = JSON.parse(decoder.decode(messages[0]!.body)) as Record<string, unknown>;
        expect(body).toMatchObject({
          method: "GET",
          path: "echo",
          url: "/api/datasources/uid/testdata-uid/resources/echo?x=1",
          body: "",
        });
        expect((body.headers as Record<string, string[]>)["x-test"]).toEqual(["yes"]);
      });

      it("echoes a POST body as a UTF-8 string", async () => {
        const messages = await collect({
          pluginContext: testdataContext(),
          path: "echo",
          method: "POST",
          url: "/resources/echo",
          body: encoder.encode("héllo ✓"),
        });
        const body = JSON.parse(decoder.decode(messages[0]!.body)) as Record<string, unknown>;
        expect(body).toMatchObject({ method: "POST", body: "héllo ✓" });
      });

      it("streams a body as separate messages, the first with status and headers", async () => {
        const messages = await collect({
          pluginContext: testdataContext(),
          path: "stream",
          method: "GET",
          url: "/resources/stream?chunks=5",
        });
        expect(messages).toHaveLength(5);
        expect(messages[0]!.code).toBe(200);
        expect(Object.keys(messages[0]!.headers)).toContain("content-type");
        expect(messages.map((m) => decoder.decode(m.body))).toEqual([
          "chunk 0\n",
          "chunk 1\n",
          "chunk 2\n",
          "chunk 3\n",
          "chunk 4\n",
        ]);
      });

      it("answers 404 for other paths", async () => {
        const messages = await collect({
          pluginContext: testdataContext(),
          path: "nope",
          method: "GET",
          url: "/resources/nope",
        });
        expect(messages[0]!.code).toBe(404);
        expect(["plugin", "downstream"]).toContain(messages[0]!.errorSource);
      });
    });

    describe("Stream", () => {
      it("accepts subscriptions under random/ and refuses others", async () => {
        const ok = await client.stream.subscribeStream({
          pluginContext: testdataContext(),
          path: "random/1",
        });
        expect(ok.status).toBe(SubscribeStreamStatus.OK);
        const notFound = await client.stream.subscribeStream({
          pluginContext: testdataContext(),
          path: "other",
        });
        expect(notFound.status).toBe(SubscribeStreamStatus.NOT_FOUND);
      });

      it.each([
        ["longer than 160 characters", `random/${"x".repeat(154)}`],
        ["with a character Grafana does not allow", "random/a b"],
      ])("refuses a channel path %s before any handler runs", async (_, path) => {
        const sub = await client.stream.subscribeStream({ pluginContext: testdataContext(), path });
        expect(sub.status).toBe(SubscribeStreamStatus.NOT_FOUND);
        const pub = await client.stream.publishStream({
          pluginContext: testdataContext(),
          path,
          data: encoder.encode("{}"),
        });
        expect(pub.status).toBe(PublishStreamStatus.NOT_FOUND);
        await expectCode(
          (async () => {
            for await (const _ of client.stream.runStream({ pluginContext: testdataContext(), path })) {
              // drain
            }
          })(),
          Code.InvalidArgument,
        );
      });

      it("accepts a channel path of exactly 160 characters", async () => {
        const res = await client.stream.subscribeStream({
          pluginContext: testdataContext(),
          path: `random/${"x".repeat(153)}`,
        });
        expect(res.status).toBe(SubscribeStreamStatus.OK);
      });

      it("denies publishing", async () => {
        const res = await client.stream.publishStream({
          pluginContext: testdataContext(),
          path: "random/1",
          data: encoder.encode("{}"),
        });
        expect(res.status).toBe(PublishStreamStatus.PERMISSION_DENIED);
      });

      it("runs a stream of one-row frame JSON packets until cancelled", async () => {
        const controller = new AbortController();
        const packets: unknown[] = [];
        const stream = client.stream.runStream(
          {
            pluginContext: testdataContext(),
            path: "random/1",
            data: encoder.encode(JSON.stringify({ intervalMs: 10 })),
          },
          { signal: controller.signal },
        );
        await expectCode(
          (async () => {
            for await (const packet of stream) {
              packets.push(JSON.parse(decoder.decode(packet.data)));
              if (packets.length === 3) controller.abort();
            }
          })(),
          Code.Canceled,
        );
        expect(packets).toHaveLength(3);
        // Every packet is a whole frame JSON (the contract), decodable on its own.
        for (const packet of packets) {
          const frame = frameFromJSON(JSON.stringify(packet));
          expect(frame.fields.map((f) => f.name)).toEqual(["time", "value"]);
          expect(frame.rowCount).toBe(1);
        }
        const res = await client.diagnostics.checkHealth({ pluginContext: testdataContext() });
        expect(res.status).toBe(HealthStatus.OK);
      });
    });

    describe("AdmissionControl and ResourceConversion (hosts before SDK v0.300.0)", () => {
      function thing(spec: Record<string, unknown> | undefined, metadata: Record<string, unknown> = {}) {
        return {
          apiVersion: "conformance.gfsdk.dev/v1",
          kind: "Thing",
          metadata: { name: "thing-1", namespace: "default", ...metadata },
          ...(spec === undefined ? {} : { spec }),
        };
      }
      function admission(object: unknown) {
        return {
          pluginContext: pluginOnlyContext(),
          kind: { group: "conformance.gfsdk.dev", version: "v1", kind: "Thing" },
          objectBytes: encoder.encode(JSON.stringify(object)),
        };
      }
      const json = (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes)) as unknown;

      it("allows an object unless its spec.valid is false", async () => {
        for (const spec of [{ valid: true, n: 1 }, undefined, { valid: "false" }]) {
          const res = await client.admission.validateAdmission(admission(thing(spec)));
          expect(res.allowed, JSON.stringify(spec)).toBe(true);
        }
      });

      it("denies an object whose spec.valid is false with code 400 naming spec.valid", async () => {
        const res = await client.admission.validateAdmission(admission(thing({ valid: false })));
        expect(res.allowed).toBe(false);
        expect(res.result?.code).toBe(400);
        expect(res.result?.message).toContain("spec.valid");
      });

      it("mutates by adding the gfsdk.dev/mutated annotation and nothing else", async () => {
        const withAnnotations = thing({ valid: true, s: "🦥" }, { annotations: { a: "b" } });
        const res = await client.admission.mutateAdmission(admission(withAnnotations));
        expect(res.allowed).toBe(true);
        expect(json(res.objectBytes)).toEqual(
          thing({ valid: true, s: "🦥" }, { annotations: { a: "b", "gfsdk.dev/mutated": "true" } }),
        );
        const bare = await client.admission.mutateAdmission(admission(thing({ valid: true })));
        expect(json(bare.objectBytes)).toEqual(
          thing({ valid: true }, { annotations: { "gfsdk.dev/mutated": "true" } }),
        );
      });

      it("converts objects to the target version, echoing the uid", async () => {
        const objects = [thing({ valid: true }), thing({ n: 2 }, { name: "thing-2" })];
        const res = await client.conversion.convertObjects({
          pluginContext: pluginOnlyContext(),
          uid: "conversion-1",
          objects: objects.map((o) => ({
            raw: encoder.encode(JSON.stringify(o)),
            contentType: "application/json",
          })),
          targetVersion: { group: "conformance.gfsdk.dev", version: "v2" },
        });
        expect(res.uid).toBe("conversion-1");
        expect(res.result?.status).toBe("Success");
        expect(res.objects.map((o) => json(o.raw))).toEqual(
          objects.map((o) => ({ ...o, apiVersion: "conformance.gfsdk.dev/v2" })),
        );
      });

      it("fails a conversion with an object that is not JSON: Failure, code 400, no objects", async () => {
        const res = await client.conversion.convertObjects({
          pluginContext: pluginOnlyContext(),
          uid: "conversion-2",
          objects: [
            { raw: encoder.encode(JSON.stringify(thing({}))), contentType: "application/json" },
            { raw: encoder.encode("{not json"), contentType: "application/json" },
          ],
          targetVersion: { group: "conformance.gfsdk.dev", version: "v2" },
        });
        expect(res.uid).toBe("conversion-2");
        expect(res.result).toMatchObject({ status: "Failure", code: 400 });
        expect(res.objects).toHaveLength(0);
      });
    });

    describe("errors", () => {
      it("reports settings with invalid jsonData as an unhealthy data source, and as a tagged error elsewhere", async () => {
        const broken = create(pluginv2.PluginContextSchema, testdataContext());
        broken.dataSourceInstanceSettings!.uid = "broken";
        broken.dataSourceInstanceSettings!.jsonData = encoder.encode("{bad");
        const res = await client.diagnostics.checkHealth({ pluginContext: broken });
        expect(res.status).toBe(HealthStatus.ERROR);
        expect(res.message).toMatch(/invalid jsonData/);
        const stream = client.stream.runStream({ pluginContext: broken, path: "random/1" });
        const error = await expectCode(
          (async () => {
            for await (const _ of stream) {
              // drain
            }
          })(),
          Code.Unknown,
        );
        const info = error.findDetails(googleRpc.ErrorInfoSchema);
        expect(info[0]?.metadata.errorSource).toBe("plugin");
      });
    });
  });
}
