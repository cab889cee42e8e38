import { describe, expect, it } from "vitest";
import { createPluginContextFactory } from "./plugin-context-factory.js";

const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

describe("createPluginContextFactory", () => {
  it("builds a data source context in org 1 for an Admin user by default", () => {
    const context = createPluginContextFactory()();
    expect(context).toMatchObject({
      orgId: 1n,
      pluginId: "gfsdk-test-datasource",
      user: { login: "admin", name: "Admin", email: "admin@localhost", role: "Admin" },
      grafanaConfig: { GF_APP_URL: "http://localhost:3000/" },
      dataSourceInstanceSettings: {
        id: 1n,
        uid: "test-datasource-uid",
        name: "Test data source",
        decryptedSecureJsonData: {},
        lastUpdatedMS: BigInt(Date.UTC(2024, 0, 1)),
      },
    });
    expect(decode(context.dataSourceInstanceSettings?.jsonData)).toEqual({});
    expect(context.appInstanceSettings).toBeUndefined();
  });

  it("merges a call's settings and Grafana config over the defaults", () => {
    const factory = createPluginContextFactory<Record<string, number>, Record<string, string>>({
      settings: { uid: "abc", jsonData: { a: 1 }, url: "http://db" },
      grafanaConfig: { GF_SQL_ROW_LIMIT: "10" },
    });
    const context = factory({
      settings: { jsonData: { b: 2 } },
      grafanaConfig: { GF_APP_URL: "https://g/" },
    });
    expect(context.dataSourceInstanceSettings).toMatchObject({ uid: "abc", url: "http://db" });
    expect(decode(context.dataSourceInstanceSettings?.jsonData)).toEqual({ b: 2 });
    expect(context.grafanaConfig).toEqual({ GF_APP_URL: "https://g/", GF_SQL_ROW_LIMIT: "10" });
  });

  it("keeps lastUpdatedMS while settings stay the same and moves it on when they change", () => {
    const factory = createPluginContextFactory({ settings: { jsonData: { a: 1 } } });
    const first = factory().dataSourceInstanceSettings?.lastUpdatedMS as bigint;
    expect(factory().dataSourceInstanceSettings?.lastUpdatedMS).toBe(first);
    const changed = factory({ settings: { secureJsonData: { key: "v" } } }).dataSourceInstanceSettings
      ?.lastUpdatedMS as bigint;
    expect(changed > first).toBe(true);
    expect(factory({ settings: { updated: new Date(5000) } }).dataSourceInstanceSettings?.lastUpdatedMS).toBe(
      5000n,
    );
  });

  it("tracks each data source uid on its own", () => {
    const factory = createPluginContextFactory();
    factory({ settings: { uid: "one", jsonData: { x: 1 } } });
    const other = factory({ settings: { uid: "two", jsonData: { x: 2 } } });
    expect(other.dataSourceInstanceSettings?.lastUpdatedMS).toBe(BigInt(Date.UTC(2024, 0, 1)));
  });

  it("builds an app context, with the app plugin id, when app settings are given", () => {
    const context = createPluginContextFactory({ app: { jsonData: { on: true } } })();
    expect(context.pluginId).toBe("gfsdk-test-app");
    expect(context.dataSourceInstanceSettings).toBeUndefined();
    expect(decode(context.appInstanceSettings?.jsonData)).toEqual({ on: true });
  });

  it("sends no user when the tester or the call says null, and a call's user wins over the tester's null", () => {
    const factory = createPluginContextFactory({ user: null });
    expect(factory().user).toBeUndefined();
    expect(factory({ user: { login: "bob" } }).user).toMatchObject({ login: "bob", role: "Admin" });
    expect(createPluginContextFactory()({ user: null }).user).toBeUndefined();
  });
});
