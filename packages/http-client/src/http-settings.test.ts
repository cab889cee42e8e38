import { PluginError } from "@gfsdk/core";
import { describe, expect, it } from "vitest";
import { readHttpSettings } from "./http-settings.js";
import { testPluginContext } from "./testing/plugin-context.js";

describe("readHttpSettings", () => {
  it("has the Go SDK's defaults for a data source without HTTP settings", () => {
    const s = readHttpSettings(testPluginContext({ url: "http://db" }));
    expect(s).toMatchObject({
      url: "http://db",
      timeoutMs: 30_000,
      dialTimeoutMs: 10_000,
      idleConnTimeoutMs: 90_000,
      forwardOAuth: false,
      keepCookies: [],
      tls: undefined,
      proxy: undefined,
      responseLimit: undefined,
      labels: {
        datasource_name: "Test data source",
        datasource_uid: "ds-uid",
        datasource_type: "test-datasource",
      },
    });
    expect(s.basicAuth).toBeUndefined();
  });

  it("reads durations in seconds, numbers or numeric strings, and rejects others with a 400 naming the key", () => {
    expect(readHttpSettings(testPluginContext({ jsonData: { timeout: "5", dialTimeout: 2 } }))).toMatchObject(
      {
        timeoutMs: 5000,
        dialTimeoutMs: 2000,
      },
    );
    expect(readHttpSettings(testPluginContext({ jsonData: { timeout: 0 } })).timeoutMs).toBe(0);
    const error = (() => {
      try {
        readHttpSettings(testPluginContext({ jsonData: { timeout: "soon" } }));
      } catch (e) {
        return e as PluginError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PluginError);
    expect(error?.status).toBe(400);
    expect(error?.message).toBe("invalid HTTP settings: jsonData.timeout must be a number of seconds");
  });

  it("reads the certificates and server name only with tlsAuth or tlsAuthWithCACert, as the Go SDK", () => {
    const secureJsonData = { tlsCACert: "CA", tlsClientCert: "CERT", tlsClientKey: "KEY" };
    const skipOnly = readHttpSettings(
      testPluginContext({ jsonData: { tlsSkipVerify: true, serverName: "x" }, secureJsonData }),
    );
    expect(skipOnly.tls).toEqual({
      skipVerify: true,
      caCert: "",
      clientCert: "",
      serverName: "",
      tls13Only: false,
    });
    const auth = readHttpSettings(
      testPluginContext({ jsonData: { tlsAuth: true, serverName: "x" }, secureJsonData }),
    );
    expect(auth.tls).toMatchObject({ caCert: "CA", clientCert: "CERT", clientKey: "KEY", serverName: "x" });
    // The key is there but not enumerable: logging the settings does not show it.
    expect(JSON.stringify(auth)).not.toContain("KEY");
    const forced = readHttpSettings(
      testPluginContext({ grafanaConfig: { GF_INSTANCE_FEATURE_TOGGLES_ENABLE: "pluginsForceTls13" } }),
    );
    expect(forced.tls?.tls13Only).toBe(true);
  });

  it("takes the response limit from grafanaConfig, else GF_DATAPROXY_RESPONSE_LIMIT", () => {
    expect(
      readHttpSettings(testPluginContext({ grafanaConfig: { GF_RESPONSE_LIMIT: "10" } })).responseLimit,
    ).toBe(10);
    const before = process.env.GF_DATAPROXY_RESPONSE_LIMIT;
    process.env.GF_DATAPROXY_RESPONSE_LIMIT = "20";
    try {
      expect(readHttpSettings(testPluginContext()).responseLimit).toBe(20);
      expect(
        readHttpSettings(testPluginContext({ grafanaConfig: { GF_RESPONSE_LIMIT: "10" } })).responseLimit,
      ).toBe(10);
    } finally {
      if (before === undefined) delete process.env.GF_DATAPROXY_RESPONSE_LIMIT;
      else process.env.GF_DATAPROXY_RESPONSE_LIMIT = before;
    }
  });

  it("uses the secure socks proxy only when both the data source and Grafana enable it", () => {
    const grafanaConfig = {
      GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_ENABLED: "true",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_PROXY_ADDRESS: "pdc:443",
    };
    expect(readHttpSettings(testPluginContext({ grafanaConfig })).proxy).toBeUndefined();
    expect(
      readHttpSettings(testPluginContext({ jsonData: { enableSecureSocksProxy: true } })).proxy,
    ).toBeUndefined();
    const proxy = readHttpSettings(
      testPluginContext({
        jsonData: { enableSecureSocksProxy: true, timeout: 7 },
        secureJsonData: { secureSocksProxyPassword: "pp" },
        grafanaConfig,
      }),
    ).proxy;
    expect(proxy).toMatchObject({ address: "pdc:443", username: "ds-uid", password: "pp", timeoutMs: 7000 });
    expect(JSON.stringify(proxy)).not.toContain("pp");
  });

  it("gives an app (no data source) the defaults and Grafana's limits", () => {
    const app = {
      ...testPluginContext({ grafanaConfig: { GF_RESPONSE_LIMIT: "5" } }),
      dataSourceInstanceSettings: undefined,
    };
    expect(readHttpSettings(app)).toMatchObject({
      url: "",
      timeoutMs: 30_000,
      responseLimit: 5,
      proxy: undefined,
      labels: { datasource_name: "", datasource_uid: "", datasource_type: "test-datasource" },
    });
  });
});
