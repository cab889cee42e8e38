import { create, isMessage } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { createPluginContextFactory } from "./plugin-context-factory.js";
import type { TestPluginContext } from "./test-plugin-context.js";

/**
 * Builds the `PluginContext` message Grafana would send, from plain values: org 1, an Admin user,
 * a data source with uid `test-datasource-uid` and `lastUpdatedMS` 2024-01-01T00:00:00Z unless
 * `init` says otherwise; `app` (even `{}`) makes it an app's context instead.
 *
 * ```ts
 * pluginContext({ jsonData: { url: "http://db" }, secureJsonData: { apiKey: "k" }, orgId: 2 })
 * ```
 */
export function pluginContext(init: TestPluginContext = {}): pluginv2.PluginContext {
  return create(pluginv2.PluginContextSchema, createPluginContextFactory()(init));
}

/** A plugin context in plain values, or a `PluginContext` message used as it is. */
export type PluginContextArg = TestPluginContext | pluginv2.PluginContext;

/** The `PluginContext` message of a request builder's `pluginContext` option. */
export function toPluginContext(value: PluginContextArg | undefined): pluginv2.PluginContext {
  if (isMessage(value, pluginv2.PluginContextSchema)) return value;
  return pluginContext(value);
}
