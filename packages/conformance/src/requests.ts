import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";

const encoder = new TextEncoder();

/** The plugin context Grafana would send for a testdata data source with `jsonData`. */
export function testdataContext(
  jsonData: Record<string, unknown> = {},
): MessageInitShape<typeof pluginv2.PluginContextSchema> {
  return {
    orgId: 1n,
    pluginId: "gfsdk-testdata-datasource",
    pluginVersion: "0.0.0",
    user: { login: "admin", name: "Admin", email: "admin@example.com", role: "Admin" },
    dataSourceInstanceSettings: {
      id: 1n,
      uid: "testdata-uid",
      name: "TestData",
      jsonData: encoder.encode(JSON.stringify(jsonData)),
      decryptedSecureJsonData: { apiKey: "s3cr3t-value" },
      lastUpdatedMS: 1_700_000_000_000n,
    },
    grafanaConfig: { GF_APP_URL: "http://localhost:3000/" },
    userAgent: "Grafana/12.0.0 (linux; amd64)",
  };
}

/** One query of a QueryData request. */
export function query(
  refId: string,
  queryType: string,
  model: unknown,
  extra: { maxDataPoints?: bigint } = {},
): MessageInitShape<typeof pluginv2.DataQuerySchema> {
  return {
    refId,
    queryType,
    maxDataPoints: extra.maxDataPoints ?? 100n,
    intervalMS: 1000n,
    timeRange: { fromEpochMS: 1_700_000_000_000n, toEpochMS: 1_700_000_360_000n },
    json: encoder.encode(typeof model === "string" ? model : JSON.stringify(model)),
  };
}

/** A QueryData request for testdata. */
export function queryDataRequest(
  queries: MessageInitShape<typeof pluginv2.DataQuerySchema>[],
  format: pluginv2.DataFrameFormat = pluginv2.DataFrameFormat.ARROW,
): pluginv2.QueryDataRequest {
  return create(pluginv2.QueryDataRequestSchema, { pluginContext: testdataContext(), queries, format });
}
