import { create } from "@bufbuild/protobuf";
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
      it("answers UNIMPLEMENTED when the plugin has no chunked handler", async () => {
        const stream = client.data.queryChunkedData({
          pluginContext: testdataContext(),
          queries: [query("A", "rows", {})],
        });
        await expectCode(
          (async () => {
            for await (const _ of stream) {
              // drain
            }
          })(),
          Code.Unimplemented,
        );
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
        const frame = frameFromJSON(JSON.stringify(packets[0]));
        expect(frame.fields.map((f) => f.name)).toEqual(["time", "value"]);
        expect(frame.rowCount).toBe(1);
        const res = await client.diagnostics.checkHealth({ pluginContext: testdataContext() });
        expect(res.status).toBe(HealthStatus.OK);
      });
    });

    describe("AdmissionControl and ResourceConversion", () => {
      it("answer UNIMPLEMENTED when the plugin has no handlers", async () => {
        const req = { pluginContext: testdataContext(), kind: { group: "g", version: "v1", kind: "K" } };
        await expectCode(client.admission.validateAdmission(req), Code.Unimplemented);
        await expectCode(client.admission.mutateAdmission(req), Code.Unimplemented);
        await expectCode(
          client.conversion.convertObjects({ pluginContext: testdataContext(), uid: "u" }),
          Code.Unimplemented,
        );
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
