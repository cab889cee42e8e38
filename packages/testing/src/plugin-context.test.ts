import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { pluginContext, toPluginContext } from "./plugin-context.js";

const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

describe("pluginContext", () => {
  it("builds a data source context from the shorthand jsonData and secureJsonData", () => {
    const context = pluginContext({
      jsonData: { url: "http://db", timeoutMs: 5 },
      secureJsonData: { apiKey: "k" },
      orgId: 2,
      user: { login: "viewer", role: "Viewer" },
      grafanaConfig: { GF_SQL_ROW_LIMIT: "10" },
    });
    expect(context.$typeName).toBe("pluginv2.PluginContext");
    expect(context.orgId).toBe(2n);
    expect(decode(context.dataSourceInstanceSettings?.jsonData)).toEqual({ url: "http://db", timeoutMs: 5 });
    expect(context.dataSourceInstanceSettings?.decryptedSecureJsonData).toEqual({ apiKey: "k" });
    expect(context.dataSourceInstanceSettings?.lastUpdatedMS).toBe(BigInt(Date.UTC(2024, 0, 1)));
    expect(context.user).toMatchObject({ login: "viewer", role: "Viewer", email: "admin@localhost" });
    expect(context.grafanaConfig).toEqual({
      GF_APP_URL: "http://localhost:3000/",
      GF_SQL_ROW_LIMIT: "10",
    });
    expect(context.appInstanceSettings).toBeUndefined();
  });

  it("puts the shorthand settings on the app when app is given", () => {
    const context = pluginContext({ app: {}, jsonData: { greeting: "hi" }, pluginId: "my-app" });
    expect(decode(context.appInstanceSettings?.jsonData)).toEqual({ greeting: "hi" });
    expect(context.dataSourceInstanceSettings).toBeUndefined();
    expect(context.pluginId).toBe("my-app");
  });

  it("prefers the shorthand jsonData over settings.jsonData, keeping the other settings", () => {
    const context = pluginContext({ settings: { uid: "u", jsonData: { a: 1 } }, jsonData: { b: 2 } });
    expect(context.dataSourceInstanceSettings?.uid).toBe("u");
    expect(decode(context.dataSourceInstanceSettings?.jsonData)).toEqual({ b: 2 });
  });

  it("takes updated as a Date or epoch milliseconds", () => {
    const when = new Date("2025-03-04T05:06:07Z");
    expect(pluginContext({ settings: { updated: when } }).dataSourceInstanceSettings?.lastUpdatedMS).toBe(
      BigInt(when.getTime()),
    );
  });
});

describe("toPluginContext", () => {
  it("uses a PluginContext message as it is and builds one from plain values", () => {
    const message = create(pluginv2.PluginContextSchema, { pluginId: "given", orgId: 7n });
    expect(toPluginContext(message)).toBe(message);
    expect(toPluginContext({ orgId: 3 }).orgId).toBe(3n);
    expect(toPluginContext(undefined).pluginId).toBe("gfsdk-test-datasource");
  });
});
