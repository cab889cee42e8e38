// The requests the conformance suite sends testdata, built with @gfsdk/testing's builders.
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { dataQuery, pluginContext } from "@gfsdk/testing";

/** The plugin context Grafana would send for a testdata data source with `jsonData`. */
export function testdataContext(jsonData: Record<string, unknown> = {}): pluginv2.PluginContext {
  return pluginContext({
    pluginId: "gfsdk-testdata-datasource",
    pluginVersion: "0.0.0",
    user: { email: "admin@example.com" },
    settings: { id: 1, uid: "testdata-uid", name: "TestData", updated: 1_700_000_000_000 },
    jsonData,
    secureJsonData: { apiKey: "s3cr3t-value" },
  });
}

/** One query of a QueryData request: a six-minute range, 1 s interval, 100 points unless given. */
export function query(
  refId: string,
  queryType: string,
  model: unknown,
  extra: { maxDataPoints?: bigint } = {},
): pluginv2.DataQuery {
  const message = dataQuery({
    refId,
    queryType,
    model: typeof model === "string" ? model : (JSON.stringify(model) ?? ""),
    timeRange: { from: 1_700_000_000_000, to: 1_700_000_360_000 },
    intervalMs: 1000,
  });
  // A bigint count can exceed what a number holds: the fuzz and bad-value cases send those.
  message.maxDataPoints = extra.maxDataPoints ?? 100n;
  return message;
}

/** A QueryData request for testdata. */
export function queryDataRequest(
  queries: MessageInitShape<typeof pluginv2.DataQuerySchema>[],
  format: pluginv2.DataFrameFormat = pluginv2.DataFrameFormat.ARROW,
): pluginv2.QueryDataRequest {
  return create(pluginv2.QueryDataRequestSchema, { pluginContext: testdataContext(), queries, format });
}
