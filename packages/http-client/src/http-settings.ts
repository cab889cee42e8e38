import { readFileSync } from "node:fs";
import type { DataSourceSettings, JsonObject, PluginContext, SecureSocksProxyConfig } from "@gfsdk/core";
import { PluginError, processConfig } from "@gfsdk/core";

/** Go's `httpclient.DefaultTimeoutOptions`: a whole request 30 s, dialing 10 s, TLS handshake 10 s. */
export const defaultTimeouts = {
  /** The whole request, headers and body (`jsonData.timeout`, seconds). 0 disables it. */
  timeoutMs: 30_000,
  /** Opening the TCP connection (`jsonData.dialTimeout`, seconds). */
  dialTimeoutMs: 10_000,
  /** Idle keep-alive connections are closed after this (`jsonData.httpIdleConnTimeout`, seconds). */
  idleConnTimeoutMs: 90_000,
} as const;

/** TLS options from the data source settings, as the Go SDK's `TLSOptions`. */
export interface HttpTlsSettings {
  /** `jsonData.tlsSkipVerify`: accept any server certificate. */
  skipVerify: boolean;
  /** `secureJsonData.tlsCACert` (with `tlsAuthWithCACert` or `tlsAuth`): the CA PEM, replacing the system roots. */
  caCert: string;
  /** `secureJsonData.tlsClientCert` (with `tlsAuth`): the client certificate PEM. */
  clientCert: string;
  /** `secureJsonData.tlsClientKey` (with `tlsAuth`): the client key PEM. A secret. */
  clientKey: string;
  /** `jsonData.serverName`: the name checked in the server certificate (and sent as SNI); `""`: the URL's host. */
  serverName: string;
  /** TLS 1.3 only (feature toggle `pluginsForceTls13`). */
  tls13Only: boolean;
}

/** The secure socks proxy of a data source that enabled it (`jsonData.enableSecureSocksProxy`). */
export interface HttpProxySettings {
  /** The proxy's `host:port`. */
  address: string;
  /** Connect to the proxy without TLS (`…_ALLOW_INSECURE`). */
  allowInsecure: boolean;
  /** The name the proxy's certificate must carry. */
  serverName: string;
  /** The client certificate and key (PEM) presented to the proxy, and the CAs it is checked against. */
  clientCert: string;
  clientKey: string;
  rootCaCerts: string[];
  /** SOCKS5 user: `jsonData.secureSocksProxyUsername`, default the data source uid (as the Go SDK). */
  username: string;
  /** SOCKS5 password: `secureJsonData.secureSocksProxyPassword`. A secret. */
  password: string;
  /** Connecting through the proxy, in ms (`jsonData.timeout`, default 30 s). */
  timeoutMs: number;
}

/**
 * What an HTTP client takes from a data source's settings, as the Go SDK's
 * `DataSourceInstanceSettings.HTTPClientOptions`. Every secret is in a non-enumerable field or the
 * `secrets` list, so logging these settings shows none.
 */
export interface HttpSettings {
  /** The data source URL (`settings.url`); relative request URLs are resolved against it. */
  url: string;
  /** `jsonData.timeout` (seconds) in ms; default 30 s; 0: none. */
  timeoutMs: number;
  /** `jsonData.dialTimeout` (seconds) in ms; default 10 s. */
  dialTimeoutMs: number;
  /** `jsonData.httpIdleConnTimeout` (seconds) in ms; default 90 s. */
  idleConnTimeoutMs: number;
  /** Basic auth: `basicAuthEnabled` + `basicAuthUser` + secure `basicAuthPassword`, else `user` + secure `password`. */
  basicAuth: { user: string; password: string } | undefined;
  /** `httpHeaderName<n>` (jsonData) with secure `httpHeaderValue<n>`, n = 1, 2, … while names exist. */
  headers: [string, string][];
  /** `jsonData.oauthPassThru`: forward the user's `Authorization` and `X-Id-Token`. */
  forwardOAuth: boolean;
  /** `jsonData.keepCookies`: the cookie names forwarded from the user's request. */
  keepCookies: string[];
  /** TLS settings, when any of `tlsAuth`, `tlsAuthWithCACert`, `tlsSkipVerify` or TLS 1.3 only is on. */
  tls: HttpTlsSettings | undefined;
  /** The secure socks proxy, when the data source enabled it and Grafana configured it. */
  proxy: HttpProxySettings | undefined;
  /**
   * The response size limit in bytes: grafanaConfig `GF_RESPONSE_LIMIT`, else the
   * `GF_DATAPROXY_RESPONSE_LIMIT` process variable; undefined: no limit.
   */
  responseLimit: number | undefined;
  /** Labels for metrics and logs, as the Go SDK's: data source name, uid and type. */
  labels: { datasource_name: string; datasource_uid: string; datasource_type: string };
  /** Every secret value these settings use, to mask in error messages. */
  readonly secrets: readonly string[];
}

function asBool(value: unknown): boolean {
  return value === true;
}

function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * A duration in seconds from jsonData in ms: a number, or a string holding one (frontends have
 * stored both); absent: the default. Anything else is a 400 naming the key, not a silent default.
 */
function seconds(jsonData: JsonObject, key: string, defaultMs: number): number {
  const value = jsonData[key];
  if (value === undefined || value === null || value === "") return defaultMs;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) {
    throw new PluginError(`invalid HTTP settings: jsonData.${key} must be a number of seconds`, {
      status: 400,
    });
  }
  return n * 1000;
}

function processResponseLimit(): number | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const n = Number(env?.GF_DATAPROXY_RESPONSE_LIMIT ?? "");
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** A PEM file of the proxy settings; a missing or unreadable one is a 500 naming the path only. */
function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new PluginError(
      `secure socks proxy: cannot read the ${what} file ${path}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * The proxy settings with the PEM texts read from the deprecated file paths where no text was
 * given (Grafana before 11 sent only paths), as the Go SDK's `getTLSDialerFromFiles`.
 */
function withFiles(config: SecureSocksProxyConfig | undefined): SecureSocksProxyConfig | undefined {
  if (!config || config.allowInsecure) return config;
  return {
    ...config,
    clientCert:
      config.clientCert ||
      (config.clientCertFile ? readPem(config.clientCertFile, "client certificate") : ""),
    clientKey: config.clientKey || (config.clientKeyFile ? readPem(config.clientKeyFile, "client key") : ""),
    rootCaCerts:
      config.rootCaCerts.length > 0
        ? config.rootCaCerts
        : config.rootCaCertFiles.map((file) => readPem(file, "root CA certificate")),
  };
}

/**
 * The HTTP settings of the data source in `pluginContext` (its `jsonData` and decrypted secure
 * settings, and Grafana's config), as the Go SDK derives `httpclient.Options` from them. A plugin
 * context without a data source (an app) gets the defaults and Grafana's limits only. Throws a
 * {@link PluginError} (400) naming the key for a malformed duration.
 */
export function readHttpSettings(pluginContext: PluginContext<unknown, unknown>): HttpSettings {
  const ds = pluginContext.dataSourceInstanceSettings as DataSourceSettings<unknown, unknown> | undefined;
  // The settings as parsed (or validated by the plugin's schemas): read key by key, checked.
  const jsonData: JsonObject =
    ds && typeof ds.jsonData === "object" && ds.jsonData !== null ? (ds.jsonData as JsonObject) : {};
  const secure: Record<string, unknown> =
    ds && typeof ds.decryptedSecureJsonData === "object" && ds.decryptedSecureJsonData !== null
      ? (ds.decryptedSecureJsonData as Record<string, unknown>)
      : {};
  const secretValue = (key: string) => (Object.hasOwn(secure, key) ? String(secure[key]) : "");
  const config = pluginContext.grafanaConfig;

  let basicAuth: HttpSettings["basicAuth"];
  if (ds?.basicAuthEnabled) {
    basicAuth = { user: ds.basicAuthUser, password: secretValue("basicAuthPassword") };
  } else if (ds?.user) {
    // As the Go SDK: a data source `user` without basic auth enabled still authenticates with it.
    basicAuth = { user: ds.user, password: secretValue("password") };
  }

  const headers: [string, string][] = [];
  for (let i = 1; typeof jsonData[`httpHeaderName${i}`] === "string"; i++) {
    const name = (jsonData[`httpHeaderName${i}`] as string).trim();
    if (name !== "" && Object.hasOwn(secure, `httpHeaderValue${i}`)) {
      headers.push([name, secretValue(`httpHeaderValue${i}`)]);
    }
  }

  const tlsAuth = asBool(jsonData.tlsAuth);
  const tlsAuthWithCACert = asBool(jsonData.tlsAuthWithCACert);
  const skipVerify = asBool(jsonData.tlsSkipVerify);
  const tls13Only = config.forceTls13;
  let tls: HttpTlsSettings | undefined;
  if (tlsAuth || tlsAuthWithCACert || skipVerify || tls13Only) {
    // As the Go SDK: the server name and certificates are read only with tlsAuth or tlsAuthWithCACert.
    const certs = tlsAuth || tlsAuthWithCACert;
    tls = {
      skipVerify,
      caCert: certs ? secretValue("tlsCACert") : "",
      clientCert: certs ? secretValue("tlsClientCert") : "",
      clientKey: "",
      serverName: certs ? asString(jsonData.serverName) : "",
      tls13Only,
    };
    Object.defineProperty(tls, "clientKey", {
      value: certs ? secretValue("tlsClientKey") : "",
      enumerable: false,
    });
  }

  const timeoutMs = seconds(jsonData, "timeout", defaultTimeouts.timeoutMs);
  let proxy: HttpProxySettings | undefined;
  // As the Go SDK: the per-request config, else the deprecated process variables.
  const proxyConfig =
    ds && jsonData.enableSecureSocksProxy === true
      ? withFiles(config.secureSocksProxy ?? processConfig().secureSocksProxy)
      : undefined;
  if (ds && proxyConfig) {
    proxy = {
      address: proxyConfig.proxyAddress,
      allowInsecure: proxyConfig.allowInsecure,
      serverName: proxyConfig.serverName,
      clientCert: proxyConfig.clientCert,
      clientKey: "",
      rootCaCerts: proxyConfig.rootCaCerts,
      username: asString(jsonData.secureSocksProxyUsername) || ds.uid,
      password: "",
      timeoutMs: timeoutMs || defaultTimeouts.timeoutMs,
    };
    Object.defineProperty(proxy, "clientKey", { value: proxyConfig.clientKey, enumerable: false });
    Object.defineProperty(proxy, "password", {
      value: secretValue("secureSocksProxyPassword"),
      enumerable: false,
    });
  }

  const configLimit = config.responseLimit;
  const secrets = [
    ...Object.values(secure).map(String),
    ...(proxy ? [proxy.clientKey, proxy.password] : []),
    ...(basicAuth ? [basicAuth.password] : []),
  ].filter((s) => s !== "");

  const settings: HttpSettings = {
    url: ds?.url ?? "",
    timeoutMs,
    dialTimeoutMs: seconds(jsonData, "dialTimeout", defaultTimeouts.dialTimeoutMs),
    idleConnTimeoutMs: seconds(jsonData, "httpIdleConnTimeout", defaultTimeouts.idleConnTimeoutMs),
    basicAuth: undefined,
    headers: [],
    forwardOAuth: asBool(jsonData.oauthPassThru),
    keepCookies: Array.isArray(jsonData.keepCookies)
      ? jsonData.keepCookies.filter((c): c is string => typeof c === "string" && c !== "")
      : [],
    tls,
    proxy,
    responseLimit: configLimit !== undefined && configLimit > 0 ? configLimit : processResponseLimit(),
    labels: {
      datasource_name: ds?.name ?? "",
      datasource_uid: ds?.uid ?? "",
      datasource_type: ds?.type ?? pluginContext.pluginId,
    },
    secrets: [],
  };
  // Secret-bearing fields are not enumerable: logging the settings shows none of their values.
  Object.defineProperty(settings, "basicAuth", { value: basicAuth, enumerable: false });
  Object.defineProperty(settings, "headers", { value: headers, enumerable: false });
  Object.defineProperty(settings, "secrets", { value: Object.freeze(secrets), enumerable: false });
  return settings;
}
