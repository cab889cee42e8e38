import type { JsonObject } from "@gfsdk/core";

/** A Grafana user in plain values; unset fields keep the default Admin user's. */
export interface TestUser {
  /** Default `"admin"`. */
  login?: string;
  /** Default `"Admin"`. */
  name?: string;
  /** Default `"admin@localhost"`. */
  email?: string;
  /** The org role: `"Admin"` (default), `"Editor"`, `"Viewer"` or `"None"`. */
  role?: string;
}

/** A data source's settings as Grafana sends them, in plain values. */
export interface TestDataSourceSettings<J = JsonObject, S = Record<string, string>> {
  /** The data source's `jsonData`; default `{}`. Sent as JSON bytes. */
  jsonData?: Partial<J>;
  /** The decrypted `secureJsonData`; default `{}`. */
  secureJsonData?: Partial<S>;
  /** Default `"test-datasource-uid"`. */
  uid?: string;
  /** Default `"Test data source"`. */
  name?: string;
  /** The deprecated numeric id; default 1. */
  id?: number;
  /** Default `""`. */
  url?: string;
  /** Default `""`. */
  user?: string;
  /** Default `""`. */
  database?: string;
  /** Default false. */
  basicAuthEnabled?: boolean;
  /** Default `""`. */
  basicAuthUser?: string;
  /**
   * When the settings last changed (a Date or epoch milliseconds). Default: 2024-01-01T00:00:00Z,
   * moved one second later each time the settings of this uid differ from the previous call's, as
   * Grafana does, so the plugin rebuilds its instance.
   */
  updated?: Date | number;
}

/** An app's settings as Grafana sends them, in plain values. */
export interface TestAppSettings<J = JsonObject, S = Record<string, string>> {
  /** The app's `jsonData`; default `{}`. */
  jsonData?: Partial<J>;
  /** The decrypted `secureJsonData`; default `{}`. */
  secureJsonData?: Partial<S>;
  /** When the settings last changed; default as for {@link TestDataSourceSettings.updated}. */
  updated?: Date | number;
}

/**
 * Who calls the plugin, in plain values: what becomes the request's `PluginContext`. Every field is
 * optional; a data source with default settings, org 1 and an Admin user is the default.
 */
export interface TestPluginContext<J = JsonObject, S = Record<string, string>> {
  /**
   * The `jsonData` of the data source (or of the app, when `app` is given): shorthand for
   * `settings.jsonData` / `app.jsonData`, and used instead of it when both are given.
   */
  jsonData?: Partial<J>;
  /** The decrypted `secureJsonData`, as `jsonData` is: shorthand for `settings.secureJsonData`. */
  secureJsonData?: Partial<S>;
  /** Default `"gfsdk-test-datasource"`, or `"gfsdk-test-app"` when `app` is given. */
  pluginId?: string;
  /** Default `"1.0.0"`. */
  pluginVersion?: string;
  /** Default 1. */
  orgId?: number;
  /** The calling user, merged over the default Admin user; `null` sends none, as Grafana does for alerting. */
  user?: TestUser | null;
  /** Data source settings, merged over the defaults. Ignored when `app` is given. */
  settings?: TestDataSourceSettings<J, S>;
  /** App settings: given (even `{}`), the plugin is called as an app rather than as a data source. */
  app?: TestAppSettings<J, S>;
  /** Merged over the default `{ GF_APP_URL: "http://localhost:3000/" }`. */
  grafanaConfig?: Record<string, string>;
  /** Default `"Grafana/12.0.0 (linux; amd64)"`. */
  userAgent?: string;
  /** The plugin API version Grafana sends (`PluginContext.apiVersion`); default `""`. */
  apiVersion?: string;
}
