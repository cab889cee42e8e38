import { create, type DescMessage, type DescMethod, type DescService, toBinary } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { query, testdataContext } from "../requests.js";

const encoder = new TextEncoder();
const json = (value: unknown) => encoder.encode(JSON.stringify(value));

/** The valid requests of one RPC that fuzzing starts from, encoded as the host sends them. */
export interface RpcSeeds {
  service: DescService;
  method: DescMethod;
  /** `/<package.Service>/<Method>`, as on the wire. */
  path: string;
  seeds: Uint8Array[];
}

// The testdata scenarios (see the conformance contract): every queryType, both formats.
const queries = [
  query("A", "random_walk", { seriesCount: 2, seed: 7 }),
  query("B", "rows", { rows: 5 }),
  query("C", "error", { source: "downstream", status: 502, message: "upstream down" }),
  query("D", "all_types", {}),
  query("E", "no_such_type", {}),
  query("F", "rows", { rows: 3, chunkRows: 2 }),
  query("G", "random_walk", "{not json"),
];

function seeds<D extends DescMessage>(desc: D, inits: Parameters<typeof create<D>>[1][]): Uint8Array[] {
  return inits.map((init) => toBinary(desc, create(desc, init)));
}

function rpc(service: DescService, localName: string, messages: Uint8Array[]): RpcSeeds {
  const method = service.methods.find((m) => m.localName === localName);
  if (!method) throw new Error(`${service.typeName} has no method ${localName}`);
  return { service, method, path: `/${service.typeName}/${method.name}`, seeds: messages };
}

const pluginContext = testdataContext();
const failing = testdataContext({ fail: true });
const formats = [pluginv2.DataFrameFormat.ARROW, pluginv2.DataFrameFormat.JSON];
const object = {
  apiVersion: "v1",
  kind: "Thing",
  metadata: { name: "a", annotations: { x: "y" } },
  spec: { valid: true },
};

/** Seeds for every pluginv2 RPC, from the testdata scenarios. */
export const rpcSeeds: RpcSeeds[] = [
  rpc(
    pluginv2.Data,
    "queryData",
    seeds(pluginv2.QueryDataRequestSchema, [
      ...formats.map((format) => ({ pluginContext, queries, format, headers: { "X-Grafana-Org-Id": "1" } })),
      ...queries.map((q) => ({ pluginContext, queries: [q] })),
      {},
    ]),
  ),
  rpc(
    pluginv2.Data,
    "queryChunkedData",
    seeds(pluginv2.QueryChunkedDataRequestSchema, [
      ...formats.map((format) => ({ pluginContext, queries, format })),
      { pluginContext, queries: [queries[5]!] },
    ]),
  ),
  rpc(
    pluginv2.Diagnostics,
    "checkHealth",
    seeds(pluginv2.CheckHealthRequestSchema, [{ pluginContext }, { pluginContext: failing }, {}]),
  ),
  rpc(
    pluginv2.Diagnostics,
    "collectMetrics",
    seeds(pluginv2.CollectMetricsRequestSchema, [{ pluginContext }, {}]),
  ),
  rpc(
    pluginv2.Resource,
    "callResource",
    seeds(pluginv2.CallResourceRequestSchema, [
      {
        pluginContext,
        path: "echo",
        method: "GET",
        url: "/api/datasources/uid/testdata-uid/resources/echo?x=1",
        headers: { Accept: { values: ["application/json"] }, "X-Many": { values: ["a", "b"] } },
      },
      { pluginContext, path: "echo", method: "POST", url: "echo", body: json({ hello: "world" }) },
      { pluginContext, path: "stream", method: "GET", url: "stream?chunks=3" },
      { pluginContext, path: "nowhere", method: "DELETE", url: "nowhere" },
    ]),
  ),
  rpc(
    pluginv2.Stream,
    "subscribeStream",
    seeds(pluginv2.SubscribeStreamRequestSchema, [
      { pluginContext, path: "random/walk", data: json({ intervalMs: 10 }) },
      { pluginContext, path: "other" },
    ]),
  ),
  rpc(
    pluginv2.Stream,
    "publishStream",
    seeds(pluginv2.PublishStreamRequestSchema, [
      { pluginContext, path: "random/walk", data: json({ v: 1 }) },
    ]),
  ),
  rpc(
    pluginv2.Stream,
    "runStream",
    seeds(pluginv2.RunStreamRequestSchema, [
      { pluginContext, path: "random/walk", data: json({ intervalMs: 10 }) },
      { pluginContext, path: "elsewhere" },
    ]),
  ),
  ...(["validateAdmission", "mutateAdmission"] as const).map((name) =>
    rpc(
      pluginv2.AdmissionControl,
      name,
      seeds(pluginv2.AdmissionRequestSchema, [
        {
          pluginContext,
          operation: pluginv2.AdmissionRequest_Operation.CREATE,
          kind: { group: "testdata.grafana.app", version: "v1", kind: "Thing" },
          objectBytes: json(object),
        },
        {
          pluginContext,
          operation: pluginv2.AdmissionRequest_Operation.UPDATE,
          objectBytes: json({ ...object, spec: { valid: false } }),
          oldObjectBytes: json(object),
        },
      ]),
    ),
  ),
  rpc(
    pluginv2.ResourceConversion,
    "convertObjects",
    seeds(pluginv2.ConversionRequestSchema, [
      {
        pluginContext,
        uid: "conversion-1",
        objects: [
          { raw: json(object), contentType: "application/json" },
          { raw: encoder.encode("not json") },
        ],
        targetVersion: { group: "testdata.grafana.app", version: "v2" },
      },
    ]),
  ),
];
