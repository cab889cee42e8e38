import type {
  AppInstanceSettings as AppInstanceSettingsMessage,
  DataSourceInstanceSettings as DataSourceInstanceSettingsMessage,
  PluginContext as PluginContextMessage,
  User,
} from "./gen/pluginv2/backend_pb.js";
import { GrafanaConfig } from "./grafana-config.js";
import { secretRedactor } from "./logger.js";
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
  secretRedactor.add(Object.values(secrets));
  Object.defineProperty(target, "decryptedSecureJsonData", { value: secrets, enumerable: false });
  return target;
}

interface CacheEntry<T> {
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
): CacheEntry<T> {
  return { updated, jsonData, secrets: { ...secrets }, settings };
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

/**
 * Parses `PluginContext` messages, parsing each data source's or app's `jsonData` once while it stays
 * the same (keyed by uid or org, checked against `lastUpdatedMS` and the bytes). @private Internal code, used by the service layer.
 */
export class PluginContextParser {
  readonly #dataSources = new Map<string, CacheEntry<DataSourceSettings>>();
  readonly #apps = new Map<string, CacheEntry<AppSettings>>();

  parse(message: PluginContextMessage | undefined): PluginContext {
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
    const key = `${orgId}#${s.uid || s.id}`;
    const cached = this.#dataSources.get(key);
    if (cached && isSame(cached, s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData))
      return cached.settings;
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
    this.#dataSources.set(key, entry(s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData, settings));
    return settings;
  }

  #app(s: AppInstanceSettingsMessage, pluginId: string, orgId: bigint): AppSettings {
    const key = `${pluginId}#${orgId}`;
    const cached = this.#apps.get(key);
    if (cached && isSame(cached, s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData))
      return cached.settings;
    const settings = hideSecrets(
      {
        apiVersion: s.apiVersion,
        jsonData: parseJsonData(s.jsonData, `app ${pluginId}`),
        updated: new Date(Number(s.lastUpdatedMS)),
      } as AppSettings,
      { ...s.decryptedSecureJsonData },
    );
    this.#apps.set(key, entry(s.lastUpdatedMS, s.jsonData, s.decryptedSecureJsonData, settings));
    return settings;
  }
}
