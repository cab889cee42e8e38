import { describe, expect, it } from "vitest";
import { GrafanaConfig, ProcessConfig, processConfig } from "./grafana-config.js";

const noEnv = () => ({});

describe("GrafanaConfig", () => {
  it("reads Grafana's settings with typed accessors", () => {
    const config = new GrafanaConfig({
      GF_APP_URL: "http://grafana/",
      GF_CONCURRENT_QUERY_COUNT: "4",
      GF_INSTANCE_FEATURE_TOGGLES_ENABLE: "a, b",
    });
    expect(config.appUrl).toBe("http://grafana/");
    expect(config.concurrentQueryCount).toBe(4);
    expect(config.isFeatureEnabled("b")).toBe(true);
    expect(config.isFeatureEnabled("c")).toBe(false);
    expect(config.get("toString")).toBeUndefined();
    expect(config.equals(new GrafanaConfig(Object.fromEntries(config.entries())))).toBe(true);
    // Serialized, the values are hidden: they may hold secrets.
    expect(JSON.stringify(config)).not.toContain("grafana/");
  });

  it("reads every key of brief 6.3 with its type", () => {
    const config = new GrafanaConfig(
      {
        GF_USER_FACING_DEFAULT_ERROR: "Please contact your administrator",
        GF_SQL_ROW_LIMIT: "100000",
        GF_SQL_MAX_OPEN_CONNS_DEFAULT: "100",
        GF_SQL_MAX_IDLE_CONNS_DEFAULT: "2",
        GF_SQL_MAX_CONN_LIFETIME_SECONDS_DEFAULT: "14400",
        GF_RESPONSE_LIMIT: "1048576",
        GF_PLUGIN_APP_CLIENT_SECRET: "sa-token",
        GF_LIVE_CLIENT_QUEUE_MAX_SIZE: "4096",
        GF_INSTANCE_FEATURE_TOGGLES_ENABLE: "pluginsForceTls13,idForwarded",
        AWS_AUTH_AssumeRoleEnabled: "false",
        AWS_AUTH_AllowedAuthProviders: "default,keys",
        AWS_AUTH_EXTERNAL_ID: "ext",
        AWS_AUTH_SESSION_DURATION: "15m",
        AWS_CW_LIST_METRICS_PAGE_LIMIT: "500",
        AWS_SIGV4_AUTH_ENABLED: "true",
        GFAZPL_AZURE_CLOUD: "AzureCloud",
      },
      noEnv,
    );
    expect(config.userFacingDefaultError).toBe("Please contact your administrator");
    expect(config.sql).toEqual({
      rowLimit: 100000,
      maxOpenConns: 100,
      maxIdleConns: 2,
      maxConnLifetimeSeconds: 14400,
    });
    expect(config.responseLimit).toBe(1048576);
    expect(config.appClientSecret).toBe("sa-token");
    expect(config.liveClientQueueMaxSize).toBe(4096);
    expect(config.forceTls13).toBe(true);
    expect([...config.featureToggles]).toEqual(["pluginsForceTls13", "idForwarded"]);
    expect(config.aws).toEqual({
      assumeRoleEnabled: false,
      allowedAuthProviders: ["default", "keys"],
      externalId: "ext",
      sessionDuration: "15m",
      listMetricsPageLimit: 500,
      sigV4AuthEnabled: true,
      sigV4VerboseLogging: false,
    });
    expect(config.azure).toEqual({ GFAZPL_AZURE_CLOUD: "AzureCloud" });
    expect(config.secureSocksProxy).toBeUndefined();
  });

  it("answers undefined for keys not sent and numbers that do not parse", () => {
    const config = new GrafanaConfig({ GF_CONCURRENT_QUERY_COUNT: "many", GF_SQL_ROW_LIMIT: " " }, noEnv);
    expect(config.concurrentQueryCount).toBeUndefined();
    expect(config.sql).toEqual({});
    expect(config.appUrl).toBeUndefined();
    expect(config.appClientSecret).toBeUndefined();
    expect(config.responseLimit).toBeUndefined();
    expect(config.forceTls13).toBe(false);
    expect(config.aws.assumeRoleEnabled).toBe(true);
  });

  it("falls back to the process variables for the app URL and client secret, as the Go SDK does", () => {
    const env = { GF_APP_URL: "http://env-grafana/", GF_PLUGIN_APP_CLIENT_SECRET: "env-token" };
    expect(new GrafanaConfig({}, () => env).appUrl).toBe("http://env-grafana/");
    expect(new GrafanaConfig({}, () => env).appClientSecret).toBe("env-token");
    expect(new GrafanaConfig({ GF_APP_URL: "http://req/" }, () => env).appUrl).toBe("http://req/");
  });

  it("reads the secure socks proxy settings only when Grafana enabled the proxy", () => {
    const keys = {
      GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_ENABLED: "true",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_PROXY_ADDRESS: "pdc:443",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_NAME: "pdc.example",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_CLIENT_CERT_VAL: "CERT",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_CLIENT_KEY_VAL: "KEY",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_ROOT_CA_CERT_VALS: "CA1,CA2",
      GF_SECURE_SOCKS_DATASOURCE_PROXY_ROOT_CA_CERT: "/a.pem /b.pem",
    };
    expect(new GrafanaConfig(keys).secureSocksProxy).toEqual({
      proxyAddress: "pdc:443",
      serverName: "pdc.example",
      allowInsecure: false,
      clientCert: "CERT",
      clientKey: "KEY",
      rootCaCerts: ["CA1", "CA2"],
      clientCertFile: "",
      clientKeyFile: "",
      rootCaCertFiles: ["/a.pem", "/b.pem"],
    });
    expect(
      new GrafanaConfig({ ...keys, GF_SECURE_SOCKS_DATASOURCE_PROXY_SERVER_ENABLED: "false" })
        .secureSocksProxy,
    ).toBeUndefined();
    expect(
      new GrafanaConfig({ ...keys, GF_SECURE_SOCKS_DATASOURCE_PROXY_ALLOW_INSECURE: "true" }).secureSocksProxy
        ?.allowInsecure,
    ).toBe(true);
    expect(
      () =>
        new GrafanaConfig({ ...keys, GF_SECURE_SOCKS_DATASOURCE_PROXY_ALLOW_INSECURE: "maybe" })
          .secureSocksProxy,
    ).toThrow(/GF_SECURE_SOCKS_DATASOURCE_PROXY_ALLOW_INSECURE must be a boolean/);
  });
});

describe("ProcessConfig", () => {
  it("reads the GF_* process variables Grafana sets", () => {
    const config = new ProcessConfig({
      GF_VERSION: "12.1.0",
      GF_EDITION: "Enterprise",
      GF_APP_URL: "http://grafana/",
      GF_PLUGIN_APP_CLIENT_ID: "id",
      GF_PLUGIN_APP_CLIENT_SECRET: "secret",
      GF_INSTANCE_FEATURE_TOGGLES_ENABLE: "a,b",
      GF_PLUGIN_VERSION: "1.2.3",
      GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
      GF_INSTANCE_OTLP_PROPAGATION: "w3c,jaeger",
      GF_INSTANCE_OTLP_SAMPLER_TYPE: "probabilistic",
      GF_INSTANCE_OTLP_SAMPLER_PARAM: "0.250000",
      GF_DATAPROXY_RESPONSE_LIMIT: "2048",
      GF_PLUGIN_CUSTOM_KEY: "v",
      GF_PLUGIN_PROFILING_ENABLED: "true",
    });
    expect(config.grafanaVersion).toBe("12.1.0");
    expect(config.edition).toBe("Enterprise");
    expect(config.appUrl).toBe("http://grafana/");
    expect(config.appClientId).toBe("id");
    expect(config.appClientSecret).toBe("secret");
    expect([...config.featureToggles]).toEqual(["a", "b"]);
    expect(config.pluginVersion).toBe("1.2.3");
    expect(config.otlp).toEqual({
      address: "127.0.0.1:4317",
      propagation: ["w3c", "jaeger"],
      samplerType: "probabilistic",
      samplerParam: 0.25,
      samplerRemoteUrl: "",
    });
    expect(config.responseLimit).toBe(2048);
    expect(config.pluginSettings).toEqual({ CUSTOM_KEY: "v" });
    expect(config.profiling).toEqual({ enabled: true, port: 6060 });
    expect(JSON.stringify(config)).not.toContain("secret");
  });

  it("has tracing off and defaults without variables", () => {
    const config = new ProcessConfig({ GF_INSTANCE_OTLP_SAMPLER_PARAM: "x" });
    expect(config.otlp).toBeUndefined();
    expect(config.responseLimit).toBeUndefined();
    expect(
      new ProcessConfig({ GF_INSTANCE_OTLP_ADDRESS: "h:1", GF_INSTANCE_OTLP_SAMPLER_PARAM: "x" }).otlp,
    ).toMatchObject({ samplerType: "const", samplerParam: 1, propagation: [] });
  });

  it("reads the process environment when asked, not when created", () => {
    const config = processConfig();
    const before = process.env.GF_VERSION;
    process.env.GF_VERSION = "99.0.0-test";
    try {
      expect(config.grafanaVersion).toBe("99.0.0-test");
    } finally {
      if (before === undefined) delete process.env.GF_VERSION;
      else process.env.GF_VERSION = before;
    }
  });
});
