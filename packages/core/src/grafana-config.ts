/**
 * The secure socks proxy (Grafana's private data source connect, PDC) configuration, from the
 * `GF_SECURE_SOCKS_DATASOURCE_PROXY_*` keys. Values are PEM texts; the deprecated file paths are
 * kept for hosts that send only those (the env variables of older Grafana versions).
 */
export interface SecureSocksProxyConfig {
  /** `…_PROXY_ADDRESS`: the proxy's `host:port`. */
  proxyAddress: string;
  /** `…_SERVER_NAME`: the name the proxy's TLS certificate must carry; `""` when not set. */
  serverName: string;
  /** `…_ALLOW_INSECURE`: connect to the proxy without TLS. Default false. */
  allowInsecure: boolean;
  /** `…_CLIENT_CERT_VAL`: the client certificate (PEM) presented to the proxy; `""` when not set. */
  clientCert: string;
  /** `…_CLIENT_KEY_VAL`: the client certificate's private key (PEM); `""` when not set. A secret. */
  clientKey: string;
  /** `…_ROOT_CA_CERT_VALS` (comma-separated PEMs): the CAs the proxy's certificate is checked against. */
  rootCaCerts: string[];
  /** `…_CLIENT_CERT` (deprecated): path of the client certificate file; `""` when not set. */
  clientCertFile: string;
  /** `…_CLIENT_KEY` (deprecated): path of the client key file; `""` when not set. */
  clientKeyFile: string;
  /** `…_ROOT_CA_CERT` (deprecated, space-separated): paths of the root CA files. */
  rootCaCertFiles: string[];
}

/** The AWS settings Grafana forwards to plugins in its AWS forward list (`AWS_*` keys). */
export interface AwsConfig {
  /** `AWS_AUTH_AssumeRoleEnabled`: whether assuming a role is allowed. Default true, as Grafana's. */
  assumeRoleEnabled: boolean;
  /** `AWS_AUTH_AllowedAuthProviders`: the allowed auth providers (comma-separated). Default none. */
  allowedAuthProviders: string[];
  /** `AWS_AUTH_EXTERNAL_ID`: the external id for assuming roles, if set. */
  externalId: string | undefined;
  /** `AWS_AUTH_SESSION_DURATION`: assumed-role session duration as Grafana writes it (`15m`), if set. */
  sessionDuration: string | undefined;
  /** `AWS_CW_LIST_METRICS_PAGE_LIMIT`: CloudWatch ListMetrics page limit, if set. */
  listMetricsPageLimit: number | undefined;
  /** `AWS_SIGV4_AUTH_ENABLED`: whether SigV4 signing is enabled. Default false. */
  sigV4AuthEnabled: boolean;
  /** `AWS_SIGV4_VERBOSE_LOGGING`: whether SigV4 logs verbosely. Default false. */
  sigV4VerboseLogging: boolean;
}

/** Keys of the secure socks proxy settings, in `grafanaConfig` and (deprecated) the environment. */
const socks = "GF_SECURE_SOCKS_DATASOURCE_PROXY_";

type Lookup = (key: string) => string | undefined;

function int(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** Go's `strconv.ParseBool`: `1`, `t`, `T`, `TRUE`, `true`, `True` and their false forms. */
function bool(raw: string | undefined, key: string): boolean | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  throw new TypeError(`${key} must be a boolean (true or false), got ${JSON.stringify(raw)}`);
}

function list(raw: string | undefined, separator: string): string[] {
  return (raw ?? "")
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function toggles(raw: string | undefined): ReadonlySet<string> {
  return new Set(list(raw, ","));
}

/**
 * The secure socks proxy settings of `get`, as the Go SDK's `GrafanaCfg.Proxy()`: undefined unless
 * `…_SERVER_ENABLED` is `true` and a proxy address is set. A malformed `…_ALLOW_INSECURE` throws.
 */
function socksProxy(get: Lookup): SecureSocksProxyConfig | undefined {
  if (get(`${socks}SERVER_ENABLED`) !== "true") return undefined;
  const proxyAddress = get(`${socks}PROXY_ADDRESS`) ?? "";
  if (proxyAddress === "") return undefined;
  return {
    proxyAddress,
    serverName: get(`${socks}SERVER_NAME`) ?? "",
    allowInsecure: bool(get(`${socks}ALLOW_INSECURE`), `${socks}ALLOW_INSECURE`) ?? false,
    clientCert: get(`${socks}CLIENT_CERT_VAL`) ?? "",
    clientKey: get(`${socks}CLIENT_KEY_VAL`) ?? "",
    rootCaCerts: list(get(`${socks}ROOT_CA_CERT_VALS`), ","),
    clientCertFile: get(`${socks}CLIENT_CERT`) ?? "",
    clientKeyFile: get(`${socks}CLIENT_KEY`) ?? "",
    rootCaCertFiles: list(get(`${socks}ROOT_CA_CERT`), " "),
  };
}

/** The process environment, without importing `node:process` (core runs on any JS runtime). */
function environment(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * The per-request Grafana configuration (`PluginContext.grafanaConfig`), with typed accessors for
 * every key Grafana sends (brief 6.3, the Go SDK's `config.GrafanaCfg`). `get` reads any key,
 * including ones this SDK does not know yet. An accessor answers undefined for a key Grafana did
 * not send, or a number that does not parse.
 */
export class GrafanaConfig {
  readonly #values: Readonly<Record<string, string>>;
  readonly #env: () => Record<string, string | undefined>;

  /**
   * @param values the `grafanaConfig` map of the request.
   * @param env where `appUrl` and `appClientSecret` fall back to (older Grafana versions sent them
   *   only as process variables). Default: the process environment, read when asked.
   */
  constructor(
    values: Record<string, string> = {},
    env: () => Record<string, string | undefined> = environment,
  ) {
    this.#values = values;
    this.#env = env;
  }

  /** The raw value of `key`, or undefined. */
  get(key: string): string | undefined {
    return Object.hasOwn(this.#values, key) ? this.#values[key] : undefined;
  }

  /** Every key and value. Secrets such as the app client secret are included: do not log it. */
  entries(): [string, string][] {
    return Object.entries(this.#values);
  }

  /** `GF_APP_URL`: Grafana's root URL; the `GF_APP_URL` process variable when the request has none. */
  get appUrl(): string | undefined {
    return this.get("GF_APP_URL") ?? (this.#env().GF_APP_URL || undefined);
  }

  /** `GF_CONCURRENT_QUERY_COUNT`: suggested number of queries to run at once, if set (Grafana omits 0). */
  get concurrentQueryCount(): number | undefined {
    return int(this.get("GF_CONCURRENT_QUERY_COUNT"));
  }

  /** `GF_INSTANCE_FEATURE_TOGGLES_ENABLE`: the enabled feature toggles (comma-separated). Default none. */
  get featureToggles(): ReadonlySet<string> {
    return toggles(this.get("GF_INSTANCE_FEATURE_TOGGLES_ENABLE"));
  }

  /** Whether the feature toggle `name` is enabled. */
  isFeatureEnabled(name: string): boolean {
    return this.featureToggles.has(name);
  }

  /** Toggle `pluginsForceTls13`: plugin HTTP clients must use TLS 1.3 only. Default false. */
  get forceTls13(): boolean {
    return this.isFeatureEnabled("pluginsForceTls13");
  }

  /** `GF_USER_FACING_DEFAULT_ERROR`: the error message to show users, if configured. */
  get userFacingDefaultError(): string | undefined {
    return this.get("GF_USER_FACING_DEFAULT_ERROR");
  }

  /**
   * `GF_RESPONSE_LIMIT`: maximum bytes of an outgoing HTTP response body, if set; Grafana sends it
   * only when positive (a value ≤ 0 here means no limit, as in the Go SDK).
   */
  get responseLimit(): number | undefined {
    return int(this.get("GF_RESPONSE_LIMIT"));
  }

  /**
   * The SQL settings Grafana sends to SQL data sources: `GF_SQL_ROW_LIMIT` (rows, sent when
   * non-zero), `GF_SQL_MAX_OPEN_CONNS_DEFAULT` and `GF_SQL_MAX_IDLE_CONNS_DEFAULT` (connections),
   * `GF_SQL_MAX_CONN_LIFETIME_SECONDS_DEFAULT` (seconds). Each undefined when not sent.
   */
  get sql(): {
    rowLimit?: number;
    maxOpenConns?: number;
    maxIdleConns?: number;
    maxConnLifetimeSeconds?: number;
  } {
    return {
      rowLimit: int(this.get("GF_SQL_ROW_LIMIT")),
      maxOpenConns: int(this.get("GF_SQL_MAX_OPEN_CONNS_DEFAULT")),
      maxIdleConns: int(this.get("GF_SQL_MAX_IDLE_CONNS_DEFAULT")),
      maxConnLifetimeSeconds: int(this.get("GF_SQL_MAX_CONN_LIFETIME_SECONDS_DEFAULT")),
    };
  }

  /**
   * `GF_PLUGIN_APP_CLIENT_SECRET`: an app plugin's service-account token (plugins with IAM
   * permissions); the process variable when the request has none. A secret: never log it.
   */
  get appClientSecret(): string | undefined {
    return this.get("GF_PLUGIN_APP_CLIENT_SECRET") ?? (this.#env().GF_PLUGIN_APP_CLIENT_SECRET || undefined);
  }

  /** `GF_LIVE_CLIENT_QUEUE_MAX_SIZE`: bytes a Live client's queue may hold, if sent (newer hosts only). */
  get liveClientQueueMaxSize(): number | undefined {
    return int(this.get("GF_LIVE_CLIENT_QUEUE_MAX_SIZE"));
  }

  /**
   * The secure socks proxy settings (`GF_SECURE_SOCKS_DATASOURCE_PROXY_*`), or undefined when
   * Grafana has not enabled the proxy. A data source uses it only when its `jsonData` has
   * `enableSecureSocksProxy: true`. Throws a TypeError naming the key for a malformed
   * `…_ALLOW_INSECURE`.
   */
  get secureSocksProxy(): SecureSocksProxyConfig | undefined {
    return socksProxy((key) => this.get(key));
  }

  /** The AWS settings (`AWS_*` keys) Grafana forwards to plugins in its AWS forward list. */
  get aws(): AwsConfig {
    return {
      assumeRoleEnabled: bool(this.get("AWS_AUTH_AssumeRoleEnabled"), "AWS_AUTH_AssumeRoleEnabled") ?? true,
      allowedAuthProviders: list(this.get("AWS_AUTH_AllowedAuthProviders"), ","),
      externalId: this.get("AWS_AUTH_EXTERNAL_ID"),
      sessionDuration: this.get("AWS_AUTH_SESSION_DURATION"),
      listMetricsPageLimit: int(this.get("AWS_CW_LIST_METRICS_PAGE_LIMIT")),
      sigV4AuthEnabled: bool(this.get("AWS_SIGV4_AUTH_ENABLED"), "AWS_SIGV4_AUTH_ENABLED") ?? false,
      sigV4VerboseLogging: bool(this.get("AWS_SIGV4_VERBOSE_LOGGING"), "AWS_SIGV4_VERBOSE_LOGGING") ?? false,
    };
  }

  /** The Azure settings (`GFAZPL_*` keys, for the Azure SDK), by key. Default none. */
  get azure(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.entries().filter(([k]) => k.startsWith("GFAZPL_")));
  }

  /** Whether two configurations hold the same keys and values. */
  equals(other: GrafanaConfig): boolean {
    const a = this.entries();
    const b = other.#values;
    return a.length === Object.keys(b).length && a.every(([k, v]) => b[k] === v);
  }

  /** Hides the values when logged or serialized: they may hold secrets. */
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.entries().map(([k]) => [k, "[hidden]"]));
  }
}

/** The OTLP tracing settings Grafana passes when its tracing is enabled (`GF_INSTANCE_OTLP_*`). */
export interface OtlpConfig {
  /** `GF_INSTANCE_OTLP_ADDRESS`: the OTLP/gRPC collector's `host:port`; tracing is on iff set. */
  address: string;
  /** `GF_INSTANCE_OTLP_PROPAGATION`: propagators (`w3c`, `jaeger`); empty means W3C trace context and baggage. */
  propagation: string[];
  /** `GF_INSTANCE_OTLP_SAMPLER_TYPE`: `const` (default), `probabilistic`, `rateLimiting` or `remote`. */
  samplerType: string;
  /** `GF_INSTANCE_OTLP_SAMPLER_PARAM`: the sampler's parameter; 1 when absent or unparsable, as in Go. */
  samplerParam: number;
  /** `GF_INSTANCE_OTLP_SAMPLER_REMOTE_URL`: the Jaeger remote sampler's URL, `""` when not set. */
  samplerRemoteUrl: string;
}

/**
 * The `GF_*` process variables Grafana sets for a plugin (brief 6.1 and 6.2), read from the
 * environment when asked (never cached, so tests may change it). Per-request values are in
 * {@link GrafanaConfig}; prefer those where both exist.
 */
export class ProcessConfig {
  readonly #env: () => Record<string, string | undefined>;

  /** @param env the variables; default the process environment (`globalThis.process.env`), read on each access. */
  constructor(
    env: Record<string, string | undefined> | (() => Record<string, string | undefined>) = environment,
  ) {
    this.#env = typeof env === "function" ? env : () => env;
  }

  /** A variable, undefined when unset or empty. */
  get(key: string): string | undefined {
    return this.#env()[key] || undefined;
  }

  /** `GF_VERSION`: the Grafana version running the plugin, if set. */
  get grafanaVersion(): string | undefined {
    return this.get("GF_VERSION");
  }

  /** `GF_EDITION`: the Grafana edition (with a licensing service), if set. */
  get edition(): string | undefined {
    return this.get("GF_EDITION");
  }

  /** `GF_ENTERPRISE_LICENSE_PATH`: path of the enterprise license file, if set. */
  get enterpriseLicensePath(): string | undefined {
    return this.get("GF_ENTERPRISE_LICENSE_PATH");
  }

  /** `GF_APP_URL`: Grafana's root URL (plugins with an external service), if set. */
  get appUrl(): string | undefined {
    return this.get("GF_APP_URL");
  }

  /** `GF_PLUGIN_APP_CLIENT_ID`: the plugin's service-account client id, if set. */
  get appClientId(): string | undefined {
    return this.get("GF_PLUGIN_APP_CLIENT_ID");
  }

  /** `GF_PLUGIN_APP_CLIENT_SECRET`: the plugin's service-account token, if set. A secret. */
  get appClientSecret(): string | undefined {
    return this.get("GF_PLUGIN_APP_CLIENT_SECRET");
  }

  /** `GF_PLUGIN_APP_PRIVATE_KEY`: the plugin's service-account private key, if set. A secret. */
  get appPrivateKey(): string | undefined {
    return this.get("GF_PLUGIN_APP_PRIVATE_KEY");
  }

  /** `GF_INSTANCE_FEATURE_TOGGLES_ENABLE`: the feature toggles enabled at start-up. Default none. */
  get featureToggles(): ReadonlySet<string> {
    return toggles(this.get("GF_INSTANCE_FEATURE_TOGGLES_ENABLE"));
  }

  /** `GF_MARKETPLACE_LICENSE_PATH`: path of the plugin's marketplace license, if set. */
  get marketplaceLicensePath(): string | undefined {
    return this.get("GF_MARKETPLACE_LICENSE_PATH");
  }

  /** `GF_MARKETPLACE_APP_URL`: the marketplace app URL, if set. */
  get marketplaceAppUrl(): string | undefined {
    return this.get("GF_MARKETPLACE_APP_URL");
  }

  /** `GF_PLUGIN_VERSION`: the plugin's version as Grafana knows it (sent with tracing), if set. */
  get pluginVersion(): string | undefined {
    return this.get("GF_PLUGIN_VERSION");
  }

  /** The OTLP tracing settings, or undefined when `GF_INSTANCE_OTLP_ADDRESS` is unset (tracing off). */
  get otlp(): OtlpConfig | undefined {
    const address = this.get("GF_INSTANCE_OTLP_ADDRESS");
    if (address === undefined) return undefined;
    const param = Number.parseFloat(this.get("GF_INSTANCE_OTLP_SAMPLER_PARAM") ?? "");
    return {
      address,
      propagation: list(this.get("GF_INSTANCE_OTLP_PROPAGATION"), ","),
      samplerType: this.get("GF_INSTANCE_OTLP_SAMPLER_TYPE") ?? "const",
      samplerParam: Number.isFinite(param) ? param : 1,
      samplerRemoteUrl: this.get("GF_INSTANCE_OTLP_SAMPLER_REMOTE_URL") ?? "",
    };
  }

  /**
   * `GF_DATAPROXY_RESPONSE_LIMIT`: the default maximum bytes of an outgoing HTTP response body,
   * used when the request's `grafanaConfig` has no `GF_RESPONSE_LIMIT`; undefined unless positive.
   */
  get responseLimit(): number | undefined {
    const n = int(this.get("GF_DATAPROXY_RESPONSE_LIMIT"));
    return n !== undefined && n > 0 ? n : undefined;
  }

  /**
   * The secure socks proxy settings from the deprecated `GF_SECURE_SOCKS_DATASOURCE_PROXY_*`
   * variables (file paths; the `…_VAL` forms when set), or undefined when not enabled.
   */
  get secureSocksProxy(): SecureSocksProxyConfig | undefined {
    return socksProxy((key) => this.get(key));
  }

  /** `GF_PLUGIN_PROFILING_*`: the profiler settings (enabled default false, port default 6060). */
  get profiling(): { enabled: boolean; port: number } {
    return {
      enabled: bool(this.get("GF_PLUGIN_PROFILING_ENABLED"), "GF_PLUGIN_PROFILING_ENABLED") ?? false,
      port: int(this.get("GF_PLUGIN_PROFILING_PORT")) ?? 6060,
    };
  }

  /**
   * The keys of the ini section `[plugin.<id>]` Grafana passes as `GF_PLUGIN_<KEY>` (key upper
   * case), with the SDK's own `GF_PLUGIN_*` variables left out, by key without the prefix.
   */
  get pluginSettings(): Readonly<Record<string, string>> {
    const own = /^(APP_CLIENT_ID|APP_CLIENT_SECRET|APP_PRIVATE_KEY|VERSION|PROFILING_.*|GRPC_ADDRESS_.*)$/;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.#env())) {
      if (!key.startsWith("GF_PLUGIN_") || value === undefined) continue;
      const name = key.slice("GF_PLUGIN_".length);
      if (!own.test(name)) out[name] = value;
    }
    return out;
  }

  /** Hides the values when logged or serialized: they may hold secrets. */
  toJSON(): Record<string, string> {
    return { env: "[hidden]" };
  }
}

/** The process variables Grafana set for this plugin (see {@link ProcessConfig}), read lazily. */
export function processConfig(): ProcessConfig {
  return new ProcessConfig();
}
