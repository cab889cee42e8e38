import {
  type CallContext,
  type DataQuery,
  definePlugin,
  HealthStatus,
  type Plugin,
  PublishStreamStatus,
  SubscribeStreamStatus,
} from "@gfsdk/core";
import { createFrame, jsonField, numberField, stringField } from "@gfsdk/dataframe";

/** A plugin with every handler that records each way a parsed request breaks the SDK's promises. */
export interface ProbePlugin {
  plugin: Plugin;
  /** What handlers saw that their types rule out; empty while the SDK keeps its promises. */
  violations: string[];
}

const isObject = (value: unknown) => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The probe: answers every RPC (so fuzzed requests reach each handler through core) and checks what
 * the handler is given against its types: settings `jsonData` a JSON object, secrets a map of
 * strings, kept out of enumeration, a query `model` a JSON object, times `Date`s, counts numbers.
 */
export function createProbePlugin(): ProbePlugin {
  const violations: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) violations.push(what);
  };
  const checkContext = (ctx: CallContext) => {
    const pc = ctx.pluginContext;
    check(Number.isFinite(pc.orgId), `orgId ${pc.orgId}`);
    check(typeof pc.pluginId === "string", "pluginId is not a string");
    for (const [what, settings] of [
      ["data source", pc.dataSourceInstanceSettings],
      ["app", pc.appInstanceSettings],
    ] as const) {
      if (settings === undefined) continue;
      check(isObject(settings.jsonData), `${what} jsonData is ${JSON.stringify(settings.jsonData)}`);
      const secrets = settings.decryptedSecureJsonData;
      check(
        isObject(secrets) && Object.values(secrets).every((v) => typeof v === "string"),
        `${what} decryptedSecureJsonData is not a map of strings`,
      );
      check(!Object.keys(settings).includes("decryptedSecureJsonData"), `${what} secrets are enumerable`);
      check(settings.updated instanceof Date, `${what} updated is not a Date`);
    }
    check(typeof pc.grafanaConfig.get("GF_APP_URL") !== "object", "grafanaConfig.get");
  };
  const checkQuery = (query: DataQuery) => {
    check(
      isObject(query.model),
      `query ${JSON.stringify(query.refId)} model is ${JSON.stringify(query.model)}`,
    );
    check(query.timeRange.from instanceof Date && query.timeRange.to instanceof Date, "timeRange not Dates");
    check(
      typeof query.maxDataPoints === "number" && typeof query.intervalMs === "number",
      "counts not numbers",
    );
  };
  const frameOf = (query: DataQuery) =>
    createFrame({
      name: query.refId,
      fields: [
        stringField("queryType", [query.queryType]),
        numberField("maxDataPoints", [query.maxDataPoints]),
        jsonField("model", [query.model]),
      ],
    });

  const plugin = definePlugin({
    checkHealth(ctx) {
      checkContext(ctx);
      return { status: HealthStatus.OK, message: "probe ok", jsonDetails: { headers: ctx.headers } };
    },
    collectMetrics(ctx) {
      checkContext(ctx);
      return "probe_up 1\n";
    },
    query(query, ctx) {
      checkContext(ctx);
      checkQuery(query);
      return [frameOf(query)];
    },
    async queryChunkedData(queries, writer, ctx) {
      checkContext(ctx);
      for (const query of queries) {
        checkQuery(query);
        await writer.writeFrame(query.refId, query.refId, frameOf(query));
        await writer.writeFrame(query.refId, "second", frameOf(query));
      }
    },
    async callResource(request, ctx) {
      checkContext(ctx);
      check(
        typeof ctx.path === "string" && ctx.url instanceof URL && typeof ctx.rawUrl === "string",
        "resource path/url",
      );
      const body = await request.text();
      return Response.json({ method: request.method, url: request.url, path: ctx.path, length: body.length });
    },
    subscribeStream(request, ctx) {
      checkContext(ctx);
      return { status: SubscribeStreamStatus.OK, initialData: request.data };
    },
    publishStream(request, ctx) {
      checkContext(ctx);
      return { status: PublishStreamStatus.OK, data: request.data };
    },
    async runStream(request, sender, ctx) {
      checkContext(ctx);
      await sender.sendJSON(request.data ?? null);
      await sender.sendBytes(request.rawData);
    },
    validateAdmission(request, ctx) {
      checkContext(ctx);
      return { allowed: request.objectBytes.length > 0 };
    },
    mutateAdmission(request, ctx) {
      checkContext(ctx);
      return { allowed: true, objectBytes: request.objectBytes };
    },
    convertObjects(request, ctx) {
      checkContext(ctx);
      return { uid: request.uid, objects: request.objects, result: { status: "Success" } };
    },
  });
  return { plugin: plugin as unknown as Plugin, violations };
}
