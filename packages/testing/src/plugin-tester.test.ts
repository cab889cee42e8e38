// The tester over raw pluginv2 services (no SDK plugin in between), so each test controls the
// exact messages: what the tester sends, and how it decodes what comes back.
import { createRouterTransport } from "@connectrpc/connect";
import { createPluginClient, pluginv2 } from "@gfsdk/core/protocol";
import { createFrame, numberField } from "@gfsdk/dataframe";
import { describe, expect, it } from "vitest";
import { fieldValues } from "./field-values.js";
import { createPluginTester } from "./plugin-tester.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const json = (value: unknown) => encoder.encode(JSON.stringify(value));
const frame = (name: string, values: number[]) => createFrame({ name, fields: [numberField("v", values)] });

/** What the services received, newest last. */
const seen: { method: string; request: unknown }[] = [];

const transport = createRouterTransport((router) => {
  router.service(pluginv2.Diagnostics, {
    checkHealth(request) {
      seen.push({ method: "checkHealth", request });
      const settings = request.pluginContext?.dataSourceInstanceSettings;
      const fail = settings && JSON.parse(decoder.decode(settings.jsonData)).fail === true;
      return fail
        ? {
            status: pluginv2.CheckHealthResponse_HealthStatus.ERROR,
            message: "failing",
            errorSource: "plugin",
          }
        : {
            status: pluginv2.CheckHealthResponse_HealthStatus.OK,
            message: "ok",
            jsonDetails: json({ n: 1 }),
          };
    },
    collectMetrics: () => ({ metrics: { prometheus: encoder.encode("# HELP x\nx 1\n") } }),
  });
  router.service(pluginv2.Data, {
    queryData(request) {
      seen.push({ method: "queryData", request });
      const responses: Record<
        string,
        { frames: Uint8Array[]; status: number; format: pluginv2.DataFrameFormat }
      > = {};
      for (const q of request.queries) {
        const { n } = JSON.parse(decoder.decode(q.json)) as { n?: number };
        const f = frame(
          q.refId,
          Array.from({ length: n ?? 1 }, (_, i) => i),
        );
        const format = request.format === pluginv2.DataFrameFormat.JSON ? "json" : "arrow";
        responses[q.refId] = { frames: [f.encode(format)], status: 200, format: request.format };
      }
      return { responses };
    },
    async *queryChunkedData(request) {
      for (const q of request.queries) {
        yield { refId: q.refId, frameId: "f", frame: frame("c", [1]).encode("json"), format: 1 };
        yield {
          refId: q.refId,
          frameId: "f",
          frame: frame("c", [2]).encode("json", { include: "data" }),
          format: 1,
        };
      }
    },
  });
  router.service(pluginv2.Resource, {
    async *callResource(request) {
      seen.push({ method: "callResource", request });
      yield { code: 201, headers: { "content-type": { values: ["application/json"] } } };
      yield { body: json({ method: request.method, url: request.url }) };
    },
  });
  router.service(pluginv2.Stream, {
    subscribeStream: (request) => ({
      status: request.path === "ok" ? 0 : 1,
      data: frame("init", [0]).encode("json"),
    }),
    async *runStream(request, context) {
      seen.push({ method: "runStream", request });
      // The call's signal aborts when the client cancels it (a suspended generator is not resumed).
      context.signal.addEventListener("abort", () => seen.push({ method: "runStream cancelled", request }));
      for (let i = 0; ; i++) {
        const include = i === 0 ? "all" : "data";
        yield { data: frame("live", [i]).encode("json", { include }) };
      }
    },
    publishStream: (request) => ({ status: 0, data: request.data }),
  });
  router.service(pluginv2.AdmissionControl, {
    validateAdmission: (request) => ({
      allowed: request.operation !== pluginv2.AdmissionRequest_Operation.DELETE,
      warnings: [request.kind?.kind ?? ""],
    }),
    mutateAdmission: (request) => ({ allowed: true, objectBytes: request.objectBytes }),
  });
  router.service(pluginv2.ResourceConversion, {
    convertObjects: (request) => ({
      uid: request.uid,
      objects: request.objects.map((o) => ({
        raw: json({ ...JSON.parse(decoder.decode(o.raw)), apiVersion: request.targetVersion?.version }),
        contentType: "application/json",
      })),
    }),
  });
});

const tester = createPluginTester(createPluginClient(transport), { jsonData: { url: "http://db" } });

describe("createPluginTester", () => {
  it("checkHealth sends the tester's settings merged with the call's and names the status", async () => {
    expect(await tester.checkHealth()).toEqual({
      status: "OK",
      message: "ok",
      jsonDetails: { n: 1 },
      errorSource: undefined,
    });
    expect(await tester.checkHealth({ jsonData: { fail: true } })).toMatchObject({
      status: "ERROR",
      errorSource: "plugin",
    });
  });

  it("query sends one query and decodes its frames, Arrow or JSON", async () => {
    const arrow = await tester.query({ model: { n: 3 }, refId: "Q" });
    expect(arrow).toMatchObject({ refId: "Q", status: 200, format: "arrow" });
    expect(fieldValues(arrow.frames[0]!, "v")).toEqual([0, 1, 2]);
    const asJson = await tester.query({ model: { n: 2 }, format: "json" });
    expect(asJson.format).toBe("json");
    expect(fieldValues(asJson.frames[0]!, "v")).toEqual([0, 1]);
    const request = seen.findLast((s) => s.method === "queryData")!.request as pluginv2.QueryDataRequest;
    expect(decoder.decode(request.pluginContext!.dataSourceInstanceSettings!.jsonData)).toBe(
      '{"url":"http://db"}',
    );
  });

  it("queryData keys the answers by refId", async () => {
    const results = await tester.queryData([{ model: { n: 1 } }, { model: { n: 2 } }]);
    expect(Object.keys(results)).toEqual(["A", "B"]);
    expect(results.B!.frames[0]!.rowCount).toBe(2);
  });

  it("queryChunkedData joins each frameId's chunks", async () => {
    const results = await tester.queryChunkedData([{ refId: "A" }]);
    expect(fieldValues(results.A!.frames[0]!, "v")).toEqual([1, 2]);
    expect(results.A!.chunks).toHaveLength(2);
  });

  it("callResource joins the streamed answer and reads its status, headers and JSON", async () => {
    const res = await tester.callResource({ method: "PUT", path: "things/1" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.json()).toEqual({
      method: "PUT",
      url: "/api/datasources/uid/test-datasource-uid/resources/things/1",
    });
  });

  it("collectMetrics gives the Prometheus text", async () => {
    expect(await tester.collectMetrics()).toBe("# HELP x\nx 1\n");
  });

  it("subscribeStream names the status and decodes initial frame data", async () => {
    const ok = await tester.subscribeStream({ path: "ok" });
    expect(ok.status).toBe("OK");
    expect(ok.frame?.name).toBe("init");
    expect((await tester.subscribeStream({ path: "missing" })).status).toBe("NOT_FOUND");
  });

  it("runStream yields decoded packets (data-only ones against the schema) and cancels the call on break", async () => {
    const values: unknown[] = [];
    for await (const packet of tester.runStream({ path: "live", data: { from: 0 } })) {
      values.push(...fieldValues(packet.frame!, "v"));
      if (values.length === 3) break;
    }
    expect(values).toEqual([0, 1, 2]);
    const request = seen.findLast((s) => s.method === "runStream")!.request as pluginv2.RunStreamRequest;
    expect(decoder.decode(request.data)).toBe('{"from":0}');
    await expect.poll(() => seen.some((s) => s.method === "runStream cancelled")).toBe(true);
  });

  it("publishStream sends the data and decodes the answer", async () => {
    expect(await tester.publishStream({ path: "p", data: { x: 1 } })).toMatchObject({
      status: "OK",
      json: { x: 1 },
    });
  });

  it("validateAdmission, mutateAdmission and convertObjects take and give plain objects", async () => {
    const kind = { group: "g", version: "v1", kind: "Thing" };
    expect(await tester.validateAdmission({ kind })).toMatchObject({ allowed: true, warnings: ["Thing"] });
    expect((await tester.validateAdmission({ operation: "DELETE", kind })).allowed).toBe(false);
    expect((await tester.mutateAdmission({ object: { spec: 1 } })).object).toEqual({ spec: 1 });
    const converted = await tester.convertObjects({
      objects: [{ kind: "Thing" }],
      targetVersion: { version: "v2" },
    });
    expect(converted.objects).toEqual([{ kind: "Thing", apiVersion: "v2" }]);
  });

  it("pluginContext gives the message the next call would send", () => {
    const context = tester.pluginContext({ orgId: 4 });
    expect(context.$typeName).toBe("pluginv2.PluginContext");
    expect(context.orgId).toBe(4n);
  });

  it("passes a call's signal, so an aborted call rejects", async () => {
    await expect(tester.checkHealth({ signal: AbortSignal.abort() })).rejects.toThrow(/aborted|cancel/i);
  });
});
