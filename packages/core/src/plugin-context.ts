import type {
  AppInstanceSettings as AppInstanceSettingsMessage,
  DataSourceInstanceSettings as DataSourceInstanceSettingsMessage,
  PluginContext as PluginContextMessage,
  User,
} from "./gen/pluginv2/backend_pb.js";
import { GrafanaConfig } from "./grafana-config.js";
import type { SecretRedactor } from "./logger.js";
import { PluginError } from "./plugin-error.js";

/** A JSON object, the default shape of `jsonData`. */
export type JsonObject = { [key: string]: unknown };

/** Fields of a generated message that hold protobuf bookkeeping, not data. */
type MessageMeta = "$typeName" | "$unknown";

/**
 * A data source's settings with `jsonData` parsed and `decryptedSecureJsonData` typed.
 * `decryptedSecureJsonData` is not enumerable, so logging or serializing the settings leaves it out.
 */
export type DataSourceSettings<JsonData = JsonObject, SecureJsonData = Record<string, string>> = Omit<
  DataSourceInstanceSettingsMessage,
  MessageMeta | "jsonData" | "decryptedSecureJsonData" | "lastUpdatedMS" | "id"
> & {
  /** Deprecated internal id; use `uid`. */
  id: number;
  /** The plugin id, as the Go SDK's `Type`. */
  type: string;
  jsonData: JsonData;
  decryptedSecureJsonData: SecureJsonData;
  /** When the settings last changed. */
  updated: Date;
};

/** An app's settings with `jsonData` parsed, as {@link DataSourceSettings}. */
export type AppSettings<JsonData = JsonObject, SecureJsonData = Record<string, string>> = Omit<
  AppInstanceSettingsMessage,
  MessageMeta | "jsonData" | "decryptedSecureJsonData" | "lastUpdatedMS"
> & {
  jsonData: JsonData;
  decryptedSecureJsonData: SecureJsonData;
  updated: Date;
};

/** Who is calling, and with which settings: the parsed `PluginContext` of every request. */
export type PluginContext<JsonData = JsonObject, SecureJsonData = Record<string, string>> = Omit<
  PluginContextMessage,
  MessageMeta | "orgId" | "user" | "appInstanceSettings" | "dataSourceInstanceSettings" | "grafanaConfig"
> & {
  orgId: number;
  /** Absent for requests Grafana makes on its own behalf (alerting, for example). */
  user: User | undefined;
  /** Set when the plugin is a data source. */
  dataSourceInstanceSettings: DataSourceSettings<JsonData, SecureJsonData> | undefined;
  /** Set when the plugin is an app. */
  appInstanceSettings: AppSettings<JsonData, SecureJsonData> | undefined;
  grafanaConfig: GrafanaConfig;
};

const decoder = new TextDecoder();

/**
 * `jsonData` as the object handlers are typed with: none or JSON `null` (Go's nil settings) is
 * `{}`; anything else that is not a JSON object is a 400, as invalid JSON is.
 */
function parseJsonData(bytes: Uint8Array, what: string): JsonObject {
  if (bytes.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new PluginError(`invalid jsonData in ${what} settings: ${(error as Error).message}`, {
      status: 400,
    });
  }
  if (parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new PluginError(`invalid jsonData in ${what} settings: not a JSON object`, { status: 400 });
  }
  return parsed as JsonObject;
}

function hideSecrets<T extends object>(target: T, secrets: Record<string, string>): T {
  Object.defineProperty(target, "decryptedSecureJsonData", { value: secrets, enumerable: false });
  return target;
}

interface CacheEntry<T> {
  /** When a call last used these settings (`now()` ms), for idle eviction. */
  lastUsed: number;
  updated: bigint;
  jsonData: Uint8Array;
  secrets: Record<string, string>;
  settings: T;
}

function entry<T>(
  updated: bigint,
  jsonData: Uint8Array,
  secrets: Record<string, string>,
  settings: T,
  lastUsed: number,
): CacheEntry<T> {
  return { lastUsed, updated, jsonData, secrets: { ...secrets }, settings };
}

/** Whether a cached parse still fits; comparing bytes is cheap next to parsing them again. */
function isSame<T>(
  cached: CacheEntry<T>,
  updated: bigint,
  jsonData: Uint8Array,
  secrets: Record<string, string>,
): boolean {
  if (cached.updated !== updated || cached.jsonData.length !== jsonData.length) return false;
  for (let i = 0; i < jsonData.length; i++) if (cached.jsonData[i] !== jsonData[i]) return false;
  const keys = Object.keys(secrets);
  return (
    keys.length === Object.keys(cached.secrets).length && keys.every((k) => cached.secrets[k] === secrets[k])
  );
}

/** Options of {@link PluginContextParser}. */
export interface PluginContextParserOptions {
  /** Where each settings' secrets are registered for masking, under the settings key. Default: none. */
  redactor?: SecretRedactor;
  /** Settings no call used for this long (ms) are dropped with their secrets. Default 1 h. */
  idleTtlMs?: number;
  /** The clock, in ms. Default `performance.now`. */
  now?: () => number;
}

/**
 * Parses `PluginContext` messages, parsing each data source's or app's `jsonData` once while it
 * stays the same (keyed by uid or org, checked against `lastUpdatedMS` and the bytes). Settings
 * replaced by newer ones, or idle for `idleTtlMs`, are dropped with their secrets, so neither the
 * cache nor the redactor outgrows the settings in use. @private Internal code, used by the service layer.
 */
export class PluginContextParser {
  readonly #dataSources = new Map<string, CacheEntry<DataSourceSettings>>();
  readonly #apps = new Map<string, CacheEntry<AppSettings>>();
  readonly #redactor: SecretRedactor | undefined;
  readonly #idleTtlMs: number;
  readonly #now: () => number;
  #lastSweep: number;

  constructor(options: PluginContextParserOptions = {}) {
    this.#redactor = options.redactor;
    this.#idleTtlMs = options.idleTtlMs ?? 3_600_000;
    this.#now = options.now ?? (() => performance.now());
    this.#lastSweep = this.#now();
  }

  /** The number of cached settings (data sources and apps). */
  get size(): number {
    return this.#dataSources.size + this.#apps.size;
  }

  parse(message: PluginContextMessage | undefined): PluginContext {
    this.#sweep();
    const m = message ?? ({ orgId: 0n, pluginId: "", grafanaConfig: {} } as unknown as PluginContextMessage);
    return {
      orgId: Number(m.orgId ?? 0n),
      pluginId: m.pluginId ?? "",
      pluginVersion: m.pluginVersion ?? "",
      user: m.user,
      userAgent: m.userAgent ?? "",
      apiVersion: m.apiVersion ?? "",
      namespace: m.namespace ?? "",
      dataSourceInstanceSettings: m.dataSourceInstanceSettings
        ? this.#dataSource(m.dataSourceInstanceSettings, m.pluginId, m.orgId)
        : undefined,
      appInstanceSettings: m.appInstanceSettings
        ? this.#app(m.appInstanceSettings, m.pluginId, m.orgId)
        : undefined,
      grafanaConfig: new GrafanaConfig(m.grafanaConfig ?? {}),
    };
  }

  #dataSource(s: DataSourceInstanceSettingsMessage, pluginId: string, orgId: bigint): DataSourceSettings {
    const key = `ds#${orgId}#${s.uid || s.id}`;
    const cached = this.#dataSources.get(key);
    if (cached && isSame(cached, s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData)) {
      cached.lastUsed = this.#now();
      return cached.settings;
    }
    const settings = hideSecrets(
      {
        id: Number(s.id),
        uid: s.uid,
        name: s.name,
        type: pluginId,
        url: s.url,
        user: s.user,
        database: s.database,
        basicAuthEnabled: s.basicAuthEnabled,
        basicAuthUser: s.basicAuthUser,
        apiVersion: s.apiVersion,
        jsonData: parseJsonData(s.jsonData, `data source ${s.uid || s.name}`),
        updated: new Date(Number(s.lastUpdatedMS)),
      } as DataSourceSettings,
      { ...s.decryptedSecureJsonData },
    );
    this.#redactor?.set(key, Object.values(s.decryptedSecureJsonData));
    this.#dataSources.set(
      key,
      entry(s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData, settings, this.#now()),
    );
    return settings;
  }

  #app(s: AppInstanceSettingsMessage, pluginId: string, orgId: bigint): AppSettings {
    const key = `app#${pluginId}#${orgId}`;
    const cached = this.#apps.get(key);
    if (cached && isSame(cached, s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData)) {
      cached.lastUsed = this.#now();
      return cached.settings;
    }
    const settings = hideSecrets(
      {
        apiVersion: s.apiVersion,
        jsonData: parseJsonData(s.jsonData, `app ${pluginId}`),
        updated: new Date(Number(s.lastUpdatedMS)),
      } as AppSettings,
      { ...s.decryptedSecureJsonData },
    );
    this.#redactor?.set(key, Object.values(s.decryptedSecureJsonData));
    this.#apps.set(key, entry(s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData, settings, this.#now()));
    return settings;
  }

  /**
   * Drops settings idle for `idleTtlMs`. It runs on calls rather than on a timer (nothing keeps the
   * process alive), at most once per tenth of the TTL, so its cost is one pass now and then.
   */
  #sweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < this.#idleTtlMs / 10) return;
    this.#lastSweep = now;
    for (const map of [this.#dataSources, this.#apps] as Map<string, CacheEntry<unknown>>[]) {
      for (const [key, cached] of map) {
        if (now - cached.lastUsed >= this.#idleTtlMs) {
          map.delete(key);
          this.#redactor?.delete(key);
        }
      }
    }
  }

  /**
   * Drops the settings of `key` (an instance key: `ds#<org>#<uid>` or `app#<plugin>#<org>`) and
   * their secrets, as its instance is evicted.
   */
  evict(key: string): void {
    if (this.#dataSources.delete(key) || this.#apps.delete(key)) this.#redactor?.delete(key);
  }

  /** Drops every cached settings and its secrets, for shutdown. */
  clear(): void {
    for (const key of [...this.#dataSources.keys(), ...this.#apps.keys()]) this.#redactor?.delete(key);
    this.#dataSources.clear();
    this.#apps.clear();
  }
}
