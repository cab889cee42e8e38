import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { EncodableFrame } from "./encodable-frame.js";
import { ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";
import {
  CheckHealthResponse_HealthStatus,
  Data,
  DataFrameFormat,
  PluginContextSchema,
  QueryDataRequestSchema,
} from "./gen/pluginv2/backend_pb.js";
import { createLogger } from "./logger.js";
import { definePlugin, type Plugin } from "./plugin.js";
import { createPluginClient } from "./plugin-client.js";
import { DownstreamError, PluginError } from "./plugin-error.js";
import { createPluginServices, registerPlugin } from "./plugin-services.js";
import { typed } from "./schema.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function clientFor<J, S, I>(plugin: Plugin<J, S, I>, logLines: string[] = []) {
  const services = createPluginServices(plugin, { logger: createLogger({ write: (l) => logLines.push(l) }) });
  return { client: createPluginClient(createRouterTransport((r) => registerPlugin(r, services))), services };
}

function context(jsonData: object = {}, lastUpdatedMS = 1n, secrets: Record<string, string> = {}) {
  return create(PluginContextSchema, {
    orgId: 1n,
    pluginId: "p",
    dataSourceInstanceSettings: {
      uid: "ds",
      jsonData: encoder.encode(JSON.stringify(jsonData)),
      lastUpdatedMS,
      decryptedSecureJsonData: secrets,
    },
  });
}

const textFrame = (text: string): EncodableFrame => ({
  encode: (format, options) => encoder.encode(`${format}:${options?.refId}:${text}`),
});

function q(refId: string, json: string, queryType = "") {
  return {
    refId,
    queryType,
    json: encoder.encode(json),
    timeRange: { fromEpochMS: 1000n, toEpochMS: 2000n },
  };
}

describe("createPluginServices", () => {
  it("answers UNIMPLEMENTED for every absent handler", async () => {
    const { client } = clientFor(definePlugin({}));
    const calls: Promise<unknown>[] = [
      client.diagnostics.checkHealth({}),
      client.diagnostics.collectMetrics({}),
      client.data.queryData({}),
      client.stream.subscribeStream({}),
      client.stream.publishStream({}),
      client.admission.validateAdmission({}),
      client.admission.mutateAdmission({}),
      client.conversion.convertObjects({}),
      (async () => {
        for await (const _ of client.resource.callResource({})) break;
      })(),
      (async () => {
        for await (const _ of client.stream.runStream({})) break;
      })(),
      (async () => {
        for await (const _ of client.data.queryChunkedData({})) break;
      })(),
    ];
    for (const call of calls) {
      await expect(call).rejects.toMatchObject({ code: Code.Unimplemented });
    }
  });

  it("sets status 200, echoes format and fills each frame's refId from the query", async () => {
    const { client } = clientFor(definePlugin({ query: (query) => [textFrame(String(query.model.x))] }));
    const res = await client.data.queryData({ queries: [q("A", '{"x":1}')], format: DataFrameFormat.JSON });
    expect(res.responses.A).toMatchObject({
      status: 200,
      error: "",
      errorSource: "",
      format: DataFrameFormat.JSON,
    });
    expect(decoder.decode(res.responses.A!.frames[0]!)).toBe("json:A:1");
  });

  it("parses the time range as Dates and the model as JSON", async () => {
    let seen: unknown;
    const { client } = clientFor(
      definePlugin({
        query: (query) => {
          seen = { from: query.timeRange.from, to: query.timeRange.to, model: query.model };
          return [];
        },
      }),
    );
    await client.data.queryData({ queries: [q("A", '{"a":[1,2]}')] });
    expect(seen).toEqual({ from: new Date(1000), to: new Date(2000), model: { a: [1, 2] } });
  });

  it("turns a thrown error into that query's 500 plugin error while other queries answer", async () => {
    const { client } = clientFor(
      definePlugin({
        query: async (query) => {
          if (query.refId === "B") throw new Error("boom");
          if (query.refId === "C") throw new DownstreamError(new Error("db down"), { status: 503 });
          if (query.refId === "D") throw new PluginError("teapot", { status: 418 });
          return [textFrame("ok")];
        },
      }),
    );
    const res = await client.data.queryData({
      queries: [q("A", "{}"), q("B", "{}"), q("C", "{}"), q("D", "{}")],
    });
    expect(res.responses.A).toMatchObject({ status: 200, error: "" });
    expect(res.responses.B).toMatchObject({ status: 500, error: "boom", errorSource: "plugin", frames: [] });
    expect(res.responses.C).toMatchObject({ status: 503, error: "db down", errorSource: "downstream" });
    expect(res.responses.D).toMatchObject({ status: 418, error: "teapot", errorSource: "plugin" });
  });

  it("makes invalid query JSON a 400 plugin error for that refId", async () => {
    const { client } = clientFor(definePlugin({ query: () => [] }));
    const res = await client.data.queryData({ queries: [q("A", "{oops"), q("B", "[1]"), q("C", "")] });
    expect(res.responses.A).toMatchObject({ status: 400, errorSource: "plugin" });
    expect(res.responses.A!.error).toContain("invalid query JSON");
    expect(res.responses.B).toMatchObject({ status: 400, errorSource: "plugin" });
    expect(res.responses.C).toMatchObject({ status: 200 });
  });

  it.each([404.5, Number.NaN, 2 ** 31, 99, 600])(
    "fails only that refId when a handler answers status %s, which cannot go on the wire",
    async (status) => {
      const { client } = clientFor(
        definePlugin({
          queryTypes: {
            bad: { query: () => ({ error: "nope", status }) },
            thrown: {
              query: () => {
                throw new PluginError("thrown", { status });
              },
            },
            good: { query: () => [textFrame("ok")] },
          },
        }),
      );
      const res = await client.data.queryData({
        queries: [q("A", "{}", "bad"), q("B", "{}", "thrown"), q("C", "{}", "good")],
      });
      expect(res.responses.A).toMatchObject({ status: 500, errorSource: "plugin" });
      expect(res.responses.A!.error).toBe(
        `the query handler's status is ${status}: an HTTP status must be an integer from 100 to 599`,
      );
      // A PluginError keeps its message; only the status that cannot be sent becomes 500.
      expect(res.responses.B).toMatchObject({ status: 500, errorSource: "plugin", error: "thrown" });
      expect(res.responses.C).toMatchObject({ status: 200, error: "" });
    },
  );

  it("routes by queryType and names an unknown one in a 400 plugin error", async () => {
    const { client } = clientFor(definePlugin({ queryTypes: { a: { query: () => [textFrame("a")] } } }));
    const res = await client.data.queryData({ queries: [q("A", "{}", "a"), q("B", "{}", "zzz")] });
    expect(res.responses.A!.status).toBe(200);
    expect(res.responses.B).toMatchObject({ status: 400, errorSource: "plugin" });
    expect(res.responses.B!.error).toContain('"zzz"');
  });

  it("runs at most queryConcurrency queries at once", async () => {
    let running = 0;
    let peak = 0;
    const { client } = clientFor(
      definePlugin({
        queryConcurrency: 3,
        query: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return [];
        },
      }),
    );
    const res = await client.data.queryData({
      queries: Array.from({ length: 12 }, (_, i) => q(`Q${i}`, "{}")),
    });
    expect(Object.keys(res.responses)).toHaveLength(12);
    expect(peak).toBe(3);
  });

  it("fails a whole request with code UNKNOWN and an ErrorInfo carrying the error source", async () => {
    const { client } = clientFor(
      definePlugin({
        subscribeStream: () => {
          throw new DownstreamError("upstream refused");
        },
        publishStream: () => {
          throw "a string";
        },
      }),
    );
    const error = await client.stream.subscribeStream({ path: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.Unknown);
    expect((error as ConnectError).rawMessage).toBe("upstream refused");
    expect((error as ConnectError).findDetails(ErrorInfoSchema)[0]?.metadata).toEqual({
      errorSource: "downstream",
    });
    const error2 = (await client.stream
      .publishStream({ path: "x" })
      .catch((e: unknown) => e)) as ConnectError;
    expect(error2.code).toBe(Code.Unknown);
    expect(error2.findDetails(ErrorInfoSchema)[0]?.metadata).toEqual({ errorSource: "plugin" });
  });

  it("reports a throwing health check as ERROR with its message", async () => {
    const { client } = clientFor(
      definePlugin({
        checkHealth: () => {
          throw new Error("cannot reach the database");
        },
      }),
    );
    const res = await client.diagnostics.checkHealth({});
    expect(res.status).toBe(CheckHealthResponse_HealthStatus.ERROR);
    expect(res.message).toBe("cannot reach the database");
  });

  it("hides decryptedSecureJsonData from serialization and masks it in logs", async () => {
    const lines: string[] = [];
    let serialized = "";
    const { client } = clientFor(
      definePlugin({
        jsonData: typed<{ url?: string }>(),
        secureJsonData: typed<{ apiKey: string }>(),
        checkHealth: ({ pluginContext, logger }) => {
          const ds = pluginContext.dataSourceInstanceSettings!;
          serialized = JSON.stringify(pluginContext);
          logger.info(`calling with ${ds.decryptedSecureJsonData.apiKey}`, { settings: ds });
          return {
            status: CheckHealthResponse_HealthStatus.OK,
            message: ds.decryptedSecureJsonData.apiKey.slice(0, 3),
          };
        },
      }),
      lines,
    );
    const res = await client.diagnostics.checkHealth({
      pluginContext: context({ url: "u" }, 1n, { apiKey: "very-secret-key" }),
    });
    expect(res.message).toBe("ver");
    expect(serialized).not.toContain("very-secret-key");
    expect(serialized).toContain('"url":"u"');
    expect(lines.join("")).not.toContain("very-secret-key");
    expect(lines.join("")).toContain("calling with [redacted]");
  });

  it("masks secrets in the error and health texts a handler returns, not only in thrown errors", async () => {
    const { client } = clientFor(
      definePlugin({
        checkHealth: ({ pluginContext }) => ({
          status: CheckHealthResponse_HealthStatus.ERROR,
          message: `login refused for key ${pluginContext.dataSourceInstanceSettings!.decryptedSecureJsonData.apiKey}`,
        }),
        query: (_query, { pluginContext }) => ({
          error: `bad key ${pluginContext.dataSourceInstanceSettings!.decryptedSecureJsonData.apiKey}`,
        }),
      }),
    );
    const pluginContext = context({}, 1n, { apiKey: "returned-secret-key" });
    const health = await client.diagnostics.checkHealth({ pluginContext });
    expect(health.message).toBe("login refused for key [redacted]");
    const res = await client.data.queryData({ pluginContext, queries: [q("A", "{}")] });
    expect(res.responses.A!.error).toBe("bad key [redacted]");
  });

  it("builds one instance per settings version and disposes the old one once idle", async () => {
    const created: string[] = [];
    const disposed: string[] = [];
    const { client } = clientFor(
      definePlugin({
        jsonData: typed<{ v: string }>(),
        createInstance: ({ jsonData }) => {
          const v = jsonData.v;
          created.push(v);
          return { v };
        },
        disposeInstance: (instance) => {
          disposed.push(instance.v);
        },
        checkHealth: ({ instance }) => ({ status: CheckHealthResponse_HealthStatus.OK, message: instance.v }),
      }),
    );
    expect((await client.diagnostics.checkHealth({ pluginContext: context({ v: "one" }, 1n) })).message).toBe(
      "one",
    );
    expect((await client.diagnostics.checkHealth({ pluginContext: context({ v: "one" }, 1n) })).message).toBe(
      "one",
    );
    expect(created).toEqual(["one"]);
    expect((await client.diagnostics.checkHealth({ pluginContext: context({ v: "two" }, 2n) })).message).toBe(
      "two",
    );
    expect(created).toEqual(["one", "two"]);
    await new Promise((r) => setTimeout(r, 10));
    expect(disposed).toEqual(["one"]);
  });

  it("streams a resource response body as one message per chunk, the first with status and headers", async () => {
    const { client } = clientFor(
      definePlugin({
        callResource: (request, { path }) => {
          const chunks = ["a", "b", "c"];
          const body = new ReadableStream<Uint8Array>({
            pull(c) {
              const next = chunks.shift();
              if (next === undefined) c.close();
              else c.enqueue(encoder.encode(next));
            },
          });
          return new Response(body, {
            status: 201,
            headers: { "x-path": `${path}|${new URL(request.url).search}|${request.method}` },
          });
        },
      }),
    );
    const messages = [];
    for await (const m of client.resource.callResource({ path: "p", url: "/r/p?x=1", method: "get" }))
      messages.push(m);
    expect(messages.map((m) => decoder.decode(m.body))).toEqual(["a", "b", "c"]);
    expect(messages[0]!.code).toBe(201);
    expect(messages[0]!.headers["x-path"]?.values).toEqual(["p|?x=1|GET"]);
    expect(messages[1]!.code).toBe(0);
  });

  it("sends run-stream packets and stops the handler when the call is cancelled", async () => {
    let stoppedByAbort = false;
    const { client } = clientFor(
      definePlugin({
        runStream: async (_req, sender, { signal }) => {
          for (let i = 0; !signal.aborted; i++) {
            await sender.sendJSON({ i });
            await new Promise((r) => setTimeout(r, 1));
          }
          stoppedByAbort = true;
        },
      }),
    );
    const controller = new AbortController();
    const got: unknown[] = [];
    await expect(
      (async () => {
        for await (const p of client.stream.runStream({ path: "x" }, { signal: controller.signal })) {
          got.push(JSON.parse(decoder.decode(p.data)));
          if (got.length === 3) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: Code.Canceled });
    expect(got).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(stoppedByAbort).toBe(true);
  });

  it("writes chunked query frames with the schema first and data-only chunks after", async () => {
    const includes: string[] = [];
    const frame: EncodableFrame = {
      encode: (_format, options) => {
        includes.push(options?.include ?? "all");
        return encoder.encode("f");
      },
    };
    const { client } = clientFor(
      definePlugin({
        queryChunkedData: async (queries, writer) => {
          for (const query of queries) {
            if (query.refId === "E") {
              await writer.writeError("E", 422, new PluginError("bad", { status: 422 }));
              continue;
            }
            if (query.refId === "W") {
              await writer
                .writeError("W", 404.5, "half a status")
                .catch((error: unknown) => writer.writeError("W", 500, error as Error));
              continue;
            }
            await writer.writeFrame("A", "A", frame);
            await writer.writeFrame("A", "A", frame);
            await writer.writeFrame("A", "other", frame);
          }
        },
      }),
    );
    const chunks = [];
    for await (const c of client.data.queryChunkedData({
      queries: [q("A", "{}"), q("E", "{}"), q("W", "{}")],
      format: DataFrameFormat.JSON,
    })) {
      chunks.push(c);
    }
    expect(chunks.filter((c) => c.refId === "A").map((c) => c.frameId)).toEqual(["A", "A", "other"]);
    expect(includes).toEqual(["all", "data", "all"]);
    expect(chunks.find((c) => c.refId === "E")).toMatchObject({
      error: "bad",
      status: 422,
      errorSource: "plugin",
    });
    // writeError with a status that cannot be sent fails that refId with a 500 that says why.
    expect(chunks.filter((c) => c.refId === "W")).toEqual([
      expect.objectContaining({
        error: "writeError's status is 404.5: an HTTP status must be an integer from 100 to 599",
        status: 500,
      }),
    ]);
  });
});

describe("PluginServicesOptions", () => {
  it("reports each finished call with its endpoint, status and error source", async () => {
    const completed: unknown[] = [];
    const services = createPluginServices(
      definePlugin({
        query: (query) => {
          if (query.refId === "B") throw new DownstreamError("db down");
          return [];
        },
        publishStream: () => {
          throw new Error("boom");
        },
      }),
      {
        logger: createLogger({ write: () => {} }),
        onRequestCompleted: (r) => completed.push({ ...r, durationMs: 0 }),
      },
    );
    const client = createPluginClient(createRouterTransport((r) => registerPlugin(r, services)));
    await client.data.queryData({ queries: [q("A", "{}")] });
    await client.data.queryData({ queries: [q("A", "{}"), q("B", "{}")] });
    await client.stream.publishStream({ path: "x" }).catch(() => {});
    expect(completed).toEqual([
      { endpoint: "queryData", status: "ok", source: "", durationMs: 0 },
      { endpoint: "queryData", status: "error", source: "downstream", durationMs: 0 },
      { endpoint: "publishStream", status: "error", source: "plugin", durationMs: 0 },
    ]);
  });

  it("counts calls that fail before their handler runs: unreadable settings, an instance that cannot be built", async () => {
    const completed: unknown[] = [];
    const services = createPluginServices(
      definePlugin({
        createInstance: ({ jsonData }) => {
          if (jsonData.broken === true) throw new Error("cannot connect");
          return {};
        },
        checkHealth: () => ({ status: CheckHealthResponse_HealthStatus.OK }),
        query: () => [],
      }),
      {
        logger: createLogger({ write: () => {} }),
        onRequestCompleted: (r) => completed.push({ ...r, durationMs: 0 }),
      },
    );
    const client = createPluginClient(createRouterTransport((r) => registerPlugin(r, services)));
    const unreadable = context();
    unreadable.dataSourceInstanceSettings!.jsonData = encoder.encode("{not json");
    const health = await client.diagnostics.checkHealth({ pluginContext: unreadable });
    expect(health.status).toBe(CheckHealthResponse_HealthStatus.ERROR);
    const broken = await client.diagnostics.checkHealth({ pluginContext: context({ broken: true }) });
    expect(broken).toMatchObject({
      status: CheckHealthResponse_HealthStatus.ERROR,
      message: "cannot connect",
    });
    await expect(
      client.data.queryData({ pluginContext: context({ broken: true }, 2n), queries: [q("A", "{}")] }),
    ).rejects.toThrow("cannot connect");
    await client.diagnostics.checkHealth({ pluginContext: context({}, 3n) });
    expect(completed).toEqual([
      { endpoint: "checkHealth", status: "error", source: "plugin", durationMs: 0 },
      { endpoint: "checkHealth", status: "error", source: "plugin", durationMs: 0 },
      { endpoint: "queryData", status: "error", source: "plugin", durationMs: 0 },
      { endpoint: "checkHealth", status: "ok", source: "", durationMs: 0 },
    ]);
  });

  it("reports the number of active instances as they are built and disposed", async () => {
    const active: number[] = [];
    const services = createPluginServices(
      definePlugin({
        createInstance: () => ({}),
        checkHealth: () => ({ status: CheckHealthResponse_HealthStatus.OK }),
      }),
      { logger: createLogger({ write: () => {} }), onActiveInstancesChange: (n) => active.push(n) },
    );
    const client = createPluginClient(createRouterTransport((r) => registerPlugin(r, services)));
    await client.diagnostics.checkHealth({ pluginContext: context({}, 1n) });
    await client.diagnostics.checkHealth({ pluginContext: context({}, 1n) });
    // New settings: the idle first instance is disposed at once, then a second one is built.
    await client.diagnostics.checkHealth({ pluginContext: context({}, 2n) });
    await services.close();
    expect(active).toEqual([1, 0, 1, 0]);
  });

  it("answers CollectMetrics from defaultMetrics when the plugin has no handler", async () => {
    const services = createPluginServices(definePlugin({}), { defaultMetrics: () => "up 1\n" });
    const client = createPluginClient(createRouterTransport((r) => registerPlugin(r, services)));
    const res = await client.diagnostics.collectMetrics({});
    expect(decoder.decode(res.metrics!.prometheus)).toBe("up 1\n");
  });
});

describe("createPluginServices (interrupted calls)", () => {
  it("fails a call whose signal fired with that status, even when its handlers still answered", async () => {
    const services = createPluginServices(
      definePlugin({
        // Swallows the abort and answers anyway, as a handler may.
        query: async (_query, { signal }) => {
          await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
          return [];
        },
      }),
      { logger: createLogger({ write: () => {} }) },
    );
    for (const [reason, code] of [
      [new ConnectError("the operation timed out", Code.DeadlineExceeded), Code.DeadlineExceeded],
      [undefined, Code.Canceled],
    ] as const) {
      const context = createHandlerContext({
        service: Data,
        method: Data.method.queryData,
        protocolName: "test",
        requestMethod: "POST",
        url: "http://plugin/pluginv2.Data/QueryData",
      });
      const call = Promise.resolve(
        services.impls.data.queryData(create(QueryDataRequestSchema, { queries: [q("A", "{}")] }), context),
      );
      context.abort(reason);
      await expect(call).rejects.toMatchObject({ code });
    }
  });
});

describe("createPluginServices secret masking", () => {
  it("masks each plugin's own secrets, with no redactor shared across plugins", async () => {
    const make = () => {
      const lines: string[] = [];
      const { client } = clientFor(
        definePlugin({
          checkHealth: ({ logger }) => {
            logger.info("saw alpha-secret-1 and beta-secret-2");
            return { status: CheckHealthResponse_HealthStatus.OK };
          },
        }),
        lines,
      );
      return { client, lines };
    };
    const a = make();
    const b = make();
    await a.client.diagnostics.checkHealth({ pluginContext: context({}, 1n, { key: "alpha-secret-1" }) });
    await b.client.diagnostics.checkHealth({ pluginContext: context({}, 1n, { key: "beta-secret-2" }) });
    expect(a.lines.join("")).toContain("saw [redacted] and beta-secret-2");
    expect(b.lines.join("")).toContain("saw alpha-secret-1 and [redacted]");
  });
});
