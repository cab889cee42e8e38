/** Options of {@link pluginEnvironment}. */
export interface PluginEnvironmentOptions {
  /** The host's environment, which Grafana passes on (unless `pluginsSkipHostEnvVars`); default `process.env`. */
  base?: Record<string, string | undefined>;
  /** Variables set after Grafana's and go-plugin's, e.g. `{ GF_PLUGIN_ROW_LIMIT: "10" }`; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** `PLUGIN_MIN_PORT`; default 10000, go-plugin's. */
  minPort?: number;
  /** `PLUGIN_MAX_PORT`; default 25000, go-plugin's. */
  maxPort?: number;
  /** `PLUGIN_UNIX_SOCKET_DIR`: where the plugin creates its socket; default unset (the OS temp dir). */
  unixSocketDir?: string;
  /** `PLUGIN_CLIENT_CERT`: the host's certificate, PEM, which asks the plugin for AutoMTLS; default unset. */
  clientCert?: string;
  /** `GF_VERSION`; default `"12.0.0"`. */
  grafanaVersion?: string;
}

/**
 * The environment Grafana's plugin manager starts a backend plugin with: the host's environment,
 * `GF_VERSION`, then go-plugin's own variables (the magic cookie `grafana_plugin_type=datasource`,
 * `PLUGIN_PROTOCOL_VERSIONS=2`, the port range, and `PLUGIN_CLIENT_CERT` with AutoMTLS).
 */
export function pluginEnvironment(options: PluginEnvironmentOptions = {}): Record<string, string> {
  const merged: Record<string, string | undefined> = {
    ...(options.base ?? process.env),
    GF_VERSION: options.grafanaVersion ?? "12.0.0",
    grafana_plugin_type: "datasource",
    PLUGIN_MIN_PORT: String(options.minPort ?? 10000),
    PLUGIN_MAX_PORT: String(options.maxPort ?? 25000),
    PLUGIN_PROTOCOL_VERSIONS: "2",
    ...(options.unixSocketDir === undefined ? {} : { PLUGIN_UNIX_SOCKET_DIR: options.unixSocketDir }),
    ...(options.clientCert === undefined ? {} : { PLUGIN_CLIENT_CERT: options.clientCert }),
    ...options.env,
  };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}
