import type { InstanceSettings } from "./plugin.js";
import type { AppSettings, DataSourceSettings, PluginContext } from "./plugin-context.js";
import { type Schema, validateWithSchema } from "./schema.js";

type AnySettings = DataSourceSettings<unknown, unknown> | AppSettings<unknown, unknown>;

interface Validated {
  settings: AnySettings;
  jsonData: unknown;
  secureJsonData: unknown;
}

/**
 * Validates the settings of each call with the plugin's `jsonData` and `secureJsonData` schemas
 * and returns the call's settings with the validated values (defaults applied, as the schemas'
 * outputs): `pluginContext` typed by the schemas, and `jsonData`/`secureJsonData` of the data
 * source or app the call carries (`{}` when none). Settings parsed once stay the same object while
 * they do not change (PluginContextParser), so each is validated once; the cache holds them weakly
 * and goes with them. An invalid value throws a 400 PluginError naming the path:
 * `invalid jsonData: timeoutMs: Expected number, received string`. @private Internal code.
 */
export function createSettingsValidator(
  jsonDataSchema: Schema | undefined,
  secureJsonDataSchema: Schema | undefined,
): (pluginContext: PluginContext) => Promise<InstanceSettings<unknown, unknown>> {
  const cache = new WeakMap<AnySettings, Promise<Validated>>();

  const validate = async (settings: AnySettings): Promise<Validated> => {
    const jsonData = jsonDataSchema
      ? await validateWithSchema(jsonDataSchema, settings.jsonData, "invalid jsonData")
      : settings.jsonData;
    const secureJsonData = secureJsonDataSchema
      ? await validateWithSchema(
          secureJsonDataSchema,
          settings.decryptedSecureJsonData,
          "invalid secureJsonData",
        )
      : settings.decryptedSecureJsonData;
    if (!jsonDataSchema && !secureJsonDataSchema) return { settings, jsonData, secureJsonData };
    const copy = { ...settings, jsonData } as AnySettings;
    // Not enumerable, as the parser makes it: logging or serializing the settings leaves it out.
    Object.defineProperty(copy, "decryptedSecureJsonData", { value: secureJsonData, enumerable: false });
    return { settings: copy, jsonData, secureJsonData };
  };

  const validated = (settings: AnySettings): Promise<Validated> => {
    let entry = cache.get(settings);
    if (!entry) {
      entry = validate(settings);
      cache.set(settings, entry);
      // A failure is not kept: the next call validates again (an async validator may have failed once).
      entry.catch(() => {
        if (cache.get(settings) === entry) cache.delete(settings);
      });
    }
    return entry;
  };

  return async (pluginContext) => {
    const ds = pluginContext.dataSourceInstanceSettings;
    const app = pluginContext.appInstanceSettings;
    const settings = ds ?? app;
    if (!settings) return { pluginContext, jsonData: {}, secureJsonData: {} };
    const v = await validated(settings);
    const validatedContext =
      v.settings === settings
        ? pluginContext
        : {
            ...pluginContext,
            ...(ds
              ? { dataSourceInstanceSettings: v.settings as DataSourceSettings }
              : { appInstanceSettings: v.settings as AppSettings }),
          };
    return { pluginContext: validatedContext, jsonData: v.jsonData, secureJsonData: v.secureJsonData };
  };
}
