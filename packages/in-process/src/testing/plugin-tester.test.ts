import { definePlugin, HealthStatus, typed } from "@gfsdk/core";
import { createFrame, numberField, stringField, timeField } from "@gfsdk/dataframe";
import { afterAll, describe, expect, it } from "vitest";
import { fieldValues, frameRows } from "./index.js";
import { createPluginTester } from "./plugin-tester.js";

const at = (iso: string) => new Date(iso);
const encoder = new TextEncoder();

// A small data source with testdata's contract for what these tests need. Not testdata itself:
// importing the example would make in-process build after it (Nx reads test imports too).
const demoPlugin = definePlugin({
  jsonData: typed<{ fail?: boolean; step?: number }>(),
  checkHealth({ jsonData }) {
    return jsonData.fail === true
      ? { status: HealthStatus.ERROR, message: "Data source is configured to fail" }
      : { status: HealthStatus.OK, message: "Data source is working" };
  },
  queryTypes: {
    /** `rows` rows spread over the range: value i × jsonData.step, label `label-i`. */
    rows: {
      model: typed<{ rows?: number }>(),
      query(query, { jsonData }) {
        const n = query.model.rows ?? 0;
        const step = jsonData.step ?? 1;
        const from = query.timeRange.from.getTime();
        const every = (query.timeRange.to.getTime() - from) / Math.max(1, n);
        const rows = Array.from({ length: n }, (_, i) => i);
        return [
          createFrame({
            name: "rows",
            fields: [
              timeField(
                "time",
                rows.map((i) => from + i * every),
              ),
              numberField(
                "value",
                rows.map((i) => i * step),
              ),
              stringField(
                "label",
                rows.map((i) => `label-${i}`),
              ),
            ],
          }),
        ];
      },
    },
    /** `maxDataPoints` evenly spaced times from `from` to `to`, both included. */
    points: {
      query(query) {
        const from = query.timeRange.from.getTime();
        const span = query.timeRange.to.getTime() - from;
        const n = query.maxDataPoints;
        const times = Array.from({ length: n }, (_, i) => from + (n > 1 ? (i * span) / (n - 1) : 0));
        return [createFrame({ refId: query.refId, fields: [timeField("time", times)] })];
      },
    },
    error: {
      model: typed<{ source?: string; status?: number; message?: string }>(),
      query(query) {
        const source = query.model.source === "downstream" ? "downstream" : "plugin";
        return {
          error: query.model.message ?? "failed",
          status: query.model.status ?? 500,
          errorSource: source,
        };
      },
    },
  },
  async callResource(request, { path, rawUrl: url }) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === "/echo") {
      const headers: Record<string, string[]> = {};
      request.headers.forEach((value, name) => {
        headers[name] = [value];
      });
      return Response.json({ method: request.method, path, url, headers, body: await request.text() });
    }
    if (pathname === "/stream") {
      const chunks = Number(searchParams.get("chunks") ?? "1");
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i === chunks) controller.close();
          else controller.enqueue(encoder.encode(`chunk ${i++}\n`));
        },
      });
      return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return Response.json({ error: `no resource at ${JSON.stringify(path)}` }, { status: 404 });
  },
});

describe("createPluginTester", () => {
  const tester = createPluginTester(demoPlugin);
  afterAll(() => tester.close());

  it("types the settings of every call from the plugin's schemas", () => {
    // Never called: the type errors are the test (the typecheck fails if they start compiling).
    const wrongUses = () => {
      // @ts-expect-error demoPlugin's jsonData.step is a number
      createPluginTester(demoPlugin, { jsonData: { step: "two" } });
      // @ts-expect-error demoPlugin's jsonData has no field "nope"
      void tester.checkHealth({ jsonData: { nope: true } });
    };
    expect(typeof wrongUses).toBe("function");
  });

  describe("checkHealth", () => {
    it("reports OK with the plugin's message for working settings", async () => {
      expect(await tester.checkHealth()).toEqual({
        status: "OK",
        message: "Data source is working",
        jsonDetails: undefined,
      });
    });

    it("sends the call's jsonData, so a failing configuration reports ERROR", async () => {
      const health = await tester.checkHealth({ settings: { jsonData: { fail: true } } });
      expect(health.status).toBe("ERROR");
      expect(health.message).toContain("configured to fail");
    });

    it("parses jsonDetails from JSON", async () => {
      const detailed = createPluginTester(
        definePlugin({
          checkHealth: () => ({ status: HealthStatus.OK, jsonDetails: { verboseMessage: "all good", n: 2 } }),
        }),
      );
      try {
        expect(await detailed.checkHealth()).toEqual({
          status: "OK",
          message: "",
          jsonDetails: { verboseMessage: "all good", n: 2 },
        });
      } finally {
        await detailed.close();
      }
    });
  });

  describe("query", () => {
    it("decodes the frames of refId A with plain values", async () => {
      const result = await tester.query({ queryType: "rows", model: { rows: 4 } });
      expect(result).toMatchObject({ refId: "A", status: 200, error: undefined, format: "arrow" });
      expect(result.frames).toHaveLength(1);
      expect(frameRows(result.frames[0]!)).toEqual([
        { time: at("2024-01-01T00:00:00Z"), value: 0, label: "label-0" },
        { time: at("2024-01-01T00:15:00Z"), value: 1, label: "label-1" },
        { time: at("2024-01-01T00:30:00Z"), value: 2, label: "label-2" },
        { time: at("2024-01-01T00:45:00Z"), value: 3, label: "label-3" },
      ]);
    });

    it("sends the call's jsonData to the query handler", async () => {
      const result = await tester.query({
        queryType: "rows",
        model: { rows: 3 },
        settings: { jsonData: { step: 10 } },
      });
      expect(fieldValues(result.frames[0]!, "value")).toEqual([0, 10, 20]);
    });

    it("sends timeRange, maxDataPoints and refId as given", async () => {
      const result = await tester.query({
        refId: "W",
        queryType: "points",
        timeRange: { from: at("2025-06-01T00:00:00Z"), to: Date.parse("2025-06-01T00:04:00Z") },
        maxDataPoints: 5,
      });
      expect(result.refId).toBe("W");
      const [frame] = result.frames;
      expect(frame!.refId).toBe("W");
      expect(fieldValues(frame!, "time")).toEqual([
        at("2025-06-01T00:00:00Z"),
        at("2025-06-01T00:01:00Z"),
        at("2025-06-01T00:02:00Z"),
        at("2025-06-01T00:03:00Z"),
        at("2025-06-01T00:04:00Z"),
      ]);
    });

    it("asks for frame JSON with format json and decodes it the same", async () => {
      const result = await tester.query({ queryType: "rows", model: { rows: 2 }, format: "json" });
      expect(result.format).toBe("json");
      expect(fieldValues(result.frames[0]!, "label")).toEqual(["label-0", "label-1"]);
    });

    it("reports a failed query's status, error and source, with no frames", async () => {
      const result = await tester.query({
        queryType: "error",
        model: { source: "downstream", status: 502, message: "upstream down" },
      });
      expect(result).toEqual({
        refId: "A",
        status: 502,
        error: "upstream down",
        errorSource: "downstream",
        format: "arrow",
        frames: [],
      });
    });

    it("sends a string model as is, so invalid JSON reaches the plugin", async () => {
      const result = await tester.query({ queryType: "rows", model: "{not json" });
      expect(result.status).toBe(400);
      expect(result.error).toMatch(/invalid query JSON/);
    });
  });

  describe("queryData", () => {
    it("sends several queries in one request and keys the answers by refId", async () => {
      const results = await tester.queryData([
        { queryType: "rows", model: { rows: 3 } },
        { queryType: "rows", model: { rows: 1 } },
        { refId: "E", queryType: "no_such_type" },
      ]);
      expect(Object.keys(results).sort()).toEqual(["A", "B", "E"]);
      expect(results.A!.frames[0]!.rowCount).toBe(3);
      expect(results.B!.frames[0]!.rowCount).toBe(1);
      expect(results.E).toMatchObject({ status: 400, errorSource: "plugin" });
      expect(results.E!.error).toContain("no_such_type");
    });

    it("refuses two queries with one refId", async () => {
      await expect(tester.queryData([{ refId: "A" }, { refId: "A" }])).rejects.toThrow(
        /two queries have refId "A"/,
      );
    });
  });

  describe("callResource", () => {
    it("sends a GET with path, query string and headers, and decodes the JSON body", async () => {
      const res = await tester.callResource({ path: "echo?x=1", headers: { "X-Test": "yes" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.json()).toMatchObject({
        method: "GET",
        path: "echo",
        url: "/api/datasources/uid/test-datasource-uid/resources/echo?x=1",
        headers: { "x-test": ["yes"] },
        body: "",
      });
    });

    it("sends an object body as JSON with its content type", async () => {
      const res = await tester.callResource({ method: "post", path: "echo", body: { name: "ramp", n: 1 } });
      const echoed = res.json<{ method: string; body: string; headers: Record<string, string[]> }>();
      expect(echoed.method).toBe("POST");
      expect(JSON.parse(echoed.body)).toEqual({ name: "ramp", n: 1 });
      expect(echoed.headers["content-type"]).toEqual(["application/json"]);
    });

    it("sends a string body as UTF-8", async () => {
      const res = await tester.callResource({ method: "POST", path: "echo", body: "héllo ✓" });
      expect(res.json()).toMatchObject({ method: "POST", body: "héllo ✓" });
    });

    it("joins a streamed body and keeps its chunks", async () => {
      const res = await tester.callResource({ path: "stream?chunks=3" });
      expect(res.text()).toBe("chunk 0\nchunk 1\nchunk 2\n");
      expect(res.chunks.map((c) => new TextDecoder().decode(c))).toEqual([
        "chunk 0\n",
        "chunk 1\n",
        "chunk 2\n",
      ]);
      expect(res.body).toBeInstanceOf(Uint8Array);
    });

    it("reports the status of a missing resource", async () => {
      const res = await tester.callResource({ path: "nope" });
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ error: 'no resource at "nope"' });
    });

    it("throws a SyntaxError naming the status when json() meets a body that is not JSON", async () => {
      const res = await tester.callResource({ path: "stream?chunks=1" });
      expect(() => res.json()).toThrow(/status 200\) is not JSON/);
    });
  });
});

describe("createPluginTester with a plugin of its own", () => {
  interface Settings {
    step?: number;
  }
  let created = 0;
  const plugin = definePlugin({
    jsonData: typed<Settings>(),
    secureJsonData: typed<{ apiKey?: string }>(),
    createInstance({ jsonData, secureJsonData }) {
      created++;
      return { step: jsonData.step ?? 1, key: secureJsonData.apiKey };
    },
    checkHealth: ({ instance }) =>
      instance.key === undefined
        ? { status: HealthStatus.ERROR, message: "no API key" }
        : { status: HealthStatus.OK, message: `step ${instance.step}` },
    query(query, { instance, pluginContext, logger }) {
      // The key is logged on purpose: the tester's records are redacted like stderr.
      logger.info("answering", { refId: query.refId, key: instance.key });
      return [
        createFrame({
          name: "who",
          fields: [
            stringField("user", [pluginContext.user?.login ?? "(none)"]),
            stringField("role", [pluginContext.user?.role ?? "(none)"]),
            numberField("org", [pluginContext.orgId]),
            numberField("step", [instance.step]),
            stringField("appUrl", [pluginContext.grafanaConfig.appUrl ?? ""]),
          ],
        }),
      ];
    },
  });
  const tester = createPluginTester(plugin, {
    settings: { jsonData: { step: 2 }, secureJsonData: { apiKey: "s3cr3t" } },
  });
  afterAll(() => tester.close());

  it("sends the tester's settings by default, an Admin user in org 1, and Grafana's app URL", async () => {
    const result = await tester.query();
    expect(frameRows(result.frames[0]!)).toEqual([
      { user: "admin", role: "Admin", org: 1, step: 2, appUrl: "http://localhost:3000/" },
    ]);
    expect((await tester.checkHealth()).message).toBe("step 2");
  });

  it("merges a call's user and org over the defaults, and sends no user for null", async () => {
    const viewer = await tester.query({ user: { role: "Viewer" }, orgId: 3 });
    expect(frameRows(viewer.frames[0]!)[0]).toMatchObject({ user: "admin", role: "Viewer", org: 3 });
    const none = await tester.query({ user: null });
    expect(frameRows(none.frames[0]!)[0]).toMatchObject({ user: "(none)", role: "(none)" });
  });

  it("moves lastUpdated on when settings change, so the plugin builds a new instance", async () => {
    await tester.checkHealth();
    const before = created;
    expect((await tester.checkHealth()).message).toBe("step 2");
    expect(created).toBe(before);
    expect((await tester.checkHealth({ settings: { jsonData: { step: 5 } } })).message).toBe("step 5");
    expect(created).toBe(before + 1);
    expect((await tester.checkHealth({ settings: { secureJsonData: {} } })).message).toBe("no API key");
  });

  it("keeps the plugin's logs instead of writing them, with secrets redacted", async () => {
    await tester.query({ refId: "L" });
    const record = tester.logs.find((r) => r.message === "answering" && r.attributes.refId === "L");
    expect(record).toMatchObject({ level: "info", attributes: { refId: "L", key: "[redacted]" } });
  });

  it("builds the plugin context it would send, for calls through the raw client", () => {
    const context = tester.pluginContext({ orgId: 9 });
    expect(context.orgId).toBe(9n);
    expect(context.dataSourceInstanceSettings?.uid).toBe("test-datasource-uid");
  });
});

describe("createPluginTester for an app", () => {
  const app = definePlugin({
    jsonData: typed<{ greeting?: string }>(),
    async callResource(request, { pluginContext, jsonData }) {
      return Response.json({
        greeting: jsonData.greeting ?? "none",
        dataSource: pluginContext.dataSourceInstanceSettings !== undefined,
        pluginId: pluginContext.pluginId,
        path: new URL(request.url).pathname,
      });
    },
  });

  it("sends app settings instead of data source settings, and an app's resource URL", async () => {
    const tester = createPluginTester(app, {
      pluginId: "myorg-hello-app",
      app: { jsonData: { greeting: "hi" } },
    });
    try {
      const res = await tester.callResource({ path: "/greet" });
      expect(res.json()).toEqual({
        greeting: "hi",
        dataSource: false,
        pluginId: "myorg-hello-app",
        path: "/greet",
      });
      expect(tester.pluginContext().dataSourceInstanceSettings).toBeUndefined();
    } finally {
      await tester.close();
    }
  });
});
