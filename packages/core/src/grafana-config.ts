/**
 * The per-request Grafana configuration (`PluginContext.grafanaConfig`), with typed accessors for
 * the keys Grafana sends. `get` reads any key, including ones this SDK does not know yet.
 */
export class GrafanaConfig {
  readonly #values: Readonly<Record<string, string>>;

  constructor(values: Record<string, string> = {}) {
    this.#values = values;
  }

  /** The raw value of `key`, or undefined. */
  get(key: string): string | undefined {
    return Object.hasOwn(this.#values, key) ? this.#values[key] : undefined;
  }

  /** Every key and value. Secrets such as the app client secret are included: do not log it. */
  entries(): [string, string][] {
    return Object.entries(this.#values);
  }

  /** `GF_APP_URL`: Grafana's root URL, if configured. */
  get appUrl(): string | undefined {
    return this.get("GF_APP_URL");
  }

  /** `GF_CONCURRENT_QUERY_COUNT`: suggested number of queries to run at once, if set. */
  get concurrentQueryCount(): number | undefined {
    return this.#int("GF_CONCURRENT_QUERY_COUNT");
  }

  /** `GF_INSTANCE_FEATURE_TOGGLES_ENABLE`: the enabled feature toggles. */
  get featureToggles(): ReadonlySet<string> {
    const raw = this.get("GF_INSTANCE_FEATURE_TOGGLES_ENABLE") ?? "";
    return new Set(
      raw
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== ""),
    );
  }

  /** Whether the feature toggle `name` is enabled. */
  isFeatureEnabled(name: string): boolean {
    return this.featureToggles.has(name);
  }

  /** `GF_USER_FACING_DEFAULT_ERROR`: the error message to show users, if configured. */
  get userFacingDefaultError(): string | undefined {
    return this.get("GF_USER_FACING_DEFAULT_ERROR");
  }

  /** `GF_RESPONSE_LIMIT`: maximum bytes of an outgoing HTTP response body, if set. */
  get responseLimit(): number | undefined {
    return this.#int("GF_RESPONSE_LIMIT");
  }

  /** The SQL settings Grafana sends to SQL data sources. */
  get sql(): {
    rowLimit?: number;
    maxOpenConns?: number;
    maxIdleConns?: number;
    maxConnLifetimeSeconds?: number;
  } {
    return {
      rowLimit: this.#int("GF_SQL_ROW_LIMIT"),
      maxOpenConns: this.#int("GF_SQL_MAX_OPEN_CONNS_DEFAULT"),
      maxIdleConns: this.#int("GF_SQL_MAX_IDLE_CONNS_DEFAULT"),
      maxConnLifetimeSeconds: this.#int("GF_SQL_MAX_CONN_LIFETIME_SECONDS_DEFAULT"),
    };
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

  #int(key: string): number | undefined {
    const raw = this.get(key);
    if (raw === undefined || raw.trim() === "") return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
}
