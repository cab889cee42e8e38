import type { JsonObject, PluginContext } from "@gfsdk/core";
import { GrafanaConfig } from "@gfsdk/core";

/** What {@link testPluginContext} builds a data source's plugin context from. */
export interface TestDataSource {
  url?: string;
  uid?: string;
  name?: string;
  user?: string;
  basicAuthEnabled?: boolean;
  basicAuthUser?: string;
  jsonData?: JsonObject;
  secureJsonData?: Record<string, string>;
  grafanaConfig?: Record<string, string>;
  userAgent?: string;
}

/**
 * Testing utility: a parsed plugin context of a data source as the SDK hands it to handlers
 * (`decryptedSecureJsonData` not enumerable), plugin `test-datasource` 1.2.3, from Grafana 12.1.0.
 */
export function testPluginContext(ds: TestDataSource = {}): PluginContext {
  const settings = {
    id: 1,
    uid: ds.uid ?? "ds-uid",
    name: ds.name ?? "Test data source",
    type: "test-datasource",
    url: ds.url ?? "",
    user: ds.user ?? "",
    database: "",
    basicAuthEnabled: ds.basicAuthEnabled ?? false,
    basicAuthUser: ds.basicAuthUser ?? "",
    apiVersion: "",
    jsonData: ds.jsonData ?? {},
    updated: new Date(0),
  };
  Object.defineProperty(settings, "decryptedSecureJsonData", {
    value: ds.secureJsonData ?? {},
    enumerable: false,
  });
  return {
    orgId: 1,
    pluginId: "test-datasource",
    pluginVersion: "1.2.3",
    user: undefined,
    userAgent: ds.userAgent ?? "Grafana/12.1.0 (linux; amd64)",
    apiVersion: "",
    namespace: "default",
    dataSourceInstanceSettings: settings as PluginContext["dataSourceInstanceSettings"],
    appInstanceSettings: undefined,
    grafanaConfig: new GrafanaConfig(ds.grafanaConfig ?? {}, () => ({})),
  };
}
