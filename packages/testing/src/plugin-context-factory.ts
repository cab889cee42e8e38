import type { MessageInitShape } from "@bufbuild/protobuf";
import type { pluginv2 } from "@gfsdk/core/protocol";
import type {
  TestAppSettings,
  TestDataSourceSettings,
  TestPluginContext,
  TestUser,
} from "./test-plugin-context.js";

/** A `PluginContext` message ready for a request. */
export type PluginContextInit = MessageInitShape<typeof pluginv2.PluginContextSchema>;

/** Builds the `PluginContext` of each request from the tester's defaults and a call's overrides. */
export type PluginContextFactory<J, S> = (overrides?: TestPluginContext<J, S>) => PluginContextInit;

/** `updated` of settings seen for the first time: 2024-01-01T00:00:00Z, so runs are reproducible. */
const firstUpdated = Date.UTC(2024, 0, 1);

const defaultUser: Required<TestUser> = {
  login: "admin",
  name: "Admin",
  email: "admin@localhost",
  role: "Admin",
};

const encoder = new TextEncoder();

function toMillis(value: Date | number): number {
  return value instanceof Date ? value.getTime() : value;
}

function strings(record: object | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) out[key] = String(value);
  return out;
}

function mergeUser(
  defaults: TestUser | null | undefined,
  call: TestUser | null | undefined,
): TestUser | null {
  if (call === null) return null;
  if (call === undefined) return defaults === null ? null : { ...defaultUser, ...defaults };
  return { ...defaultUser, ...(defaults ?? {}), ...call };
}

/**
 * Moves the shorthand `jsonData`/`secureJsonData` of `layer` into its `settings` (or `app`, when
 * the layer or `asApp` says the plugin is an app), so layers merge field by field.
 */
function normalize<J, S>(layer: TestPluginContext<J, S>, asApp: boolean): TestPluginContext<J, S> {
  const { jsonData, secureJsonData, ...rest } = layer;
  if (jsonData === undefined && secureJsonData === undefined) return rest;
  const shorthand = {
    ...(jsonData === undefined ? {} : { jsonData }),
    ...(secureJsonData === undefined ? {} : { secureJsonData }),
  };
  if (asApp || rest.app !== undefined) return { ...rest, app: { ...rest.app, ...shorthand } };
  return { ...rest, settings: { ...rest.settings, ...shorthand } };
}

/**
 * Creates a {@link PluginContextFactory}. It remembers the settings it sent per data source (or
 * app) and moves `lastUpdatedMS` on when they change, as Grafana does: core keeps one plugin
 * instance per settings version, so changed settings must reach a new instance.
 */
export function createPluginContextFactory<J, S>(
  given: TestPluginContext<J, S> = {},
): PluginContextFactory<J, S> {
  const defaults = normalize(given, false);
  const seen = new Map<string, { fingerprint: string; updated: number }>();

  /** The `lastUpdatedMS` for settings under `key` whose content (without `updated`) is `fingerprint`. */
  const updatedFor = (key: string, fingerprint: string, explicit: Date | number | undefined): number => {
    const previous = seen.get(key);
    let updated: number;
    if (explicit !== undefined) updated = toMillis(explicit);
    else if (previous === undefined) updated = firstUpdated;
    else if (previous.fingerprint === fingerprint) updated = previous.updated;
    else updated = previous.updated + 1000;
    seen.set(key, { fingerprint, updated });
    return updated;
  };

  return (givenCall = {}) => {
    const call = normalize(givenCall, defaults.app !== undefined);
    const app: TestAppSettings<J, S> | undefined =
      call.app !== undefined || defaults.app !== undefined ? { ...defaults.app, ...call.app } : undefined;
    const orgId = call.orgId ?? defaults.orgId ?? 1;
    const pluginId = call.pluginId ?? defaults.pluginId ?? (app ? "gfsdk-test-app" : "gfsdk-test-datasource");
    const user = mergeUser(defaults.user, call.user);
    const context: PluginContextInit = {
      orgId: BigInt(orgId),
      pluginId,
      pluginVersion: call.pluginVersion ?? defaults.pluginVersion ?? "1.0.0",
      userAgent: call.userAgent ?? defaults.userAgent ?? "Grafana/12.0.0 (linux; amd64)",
      apiVersion: call.apiVersion ?? defaults.apiVersion ?? "",
      grafanaConfig: {
        GF_APP_URL: "http://localhost:3000/",
        ...strings(defaults.grafanaConfig),
        ...strings(call.grafanaConfig),
      },
    };
    if (user) context.user = user;

    if (app) {
      const { updated, ...content } = app;
      const jsonData = JSON.stringify(content.jsonData ?? {});
      const secrets = strings(content.secureJsonData);
      const fingerprint = JSON.stringify([jsonData, secrets]);
      context.appInstanceSettings = {
        jsonData: encoder.encode(jsonData),
        decryptedSecureJsonData: secrets,
        lastUpdatedMS: BigInt(updatedFor(`app#${pluginId}#${orgId}`, fingerprint, updated)),
      };
      return context;
    }

    const settings: TestDataSourceSettings<J, S> = { ...defaults.settings, ...call.settings };
    const { updated, ...content } = settings;
    const uid = content.uid ?? "test-datasource-uid";
    const jsonData = JSON.stringify(content.jsonData ?? {});
    const secrets = strings(content.secureJsonData);
    const fingerprint = JSON.stringify([{ ...content, jsonData, secureJsonData: secrets }]);
    context.dataSourceInstanceSettings = {
      id: BigInt(content.id ?? 1),
      uid,
      name: content.name ?? "Test data source",
      url: content.url ?? "",
      user: content.user ?? "",
      database: content.database ?? "",
      basicAuthEnabled: content.basicAuthEnabled ?? false,
      basicAuthUser: content.basicAuthUser ?? "",
      jsonData: encoder.encode(jsonData),
      decryptedSecureJsonData: secrets,
      lastUpdatedMS: BigInt(updatedFor(`ds#${orgId}#${uid}`, fingerprint, updated)),
    };
    return context;
  };
}
