import type { Plugin } from "@gfsdk/core";
import {
  type PluginTester as ClientTester,
  type PluginTesterOptions as ClientTesterOptions,
  createPluginTester as createClientTester,
} from "@gfsdk/testing";
import {
  createInProcessClient,
  type InProcessClient,
  type InProcessClientOptions,
} from "../in-process-client.js";
import { type CapturedLog, createLogCapture } from "./log-capture.js";

/** Options of {@link createPluginTester}: the default plugin context of every call, and the client's. */
export interface PluginTesterOptions<J, S> extends ClientTesterOptions<J, S>, InProcessClientOptions {}

/**
 * `@gfsdk/testing`'s plugin tester over an in-process client: every call in plain values (see
 * there), plus the plugin's logs and a way to release the plugin.
 */
export interface PluginTester<J, S> extends ClientTester<J, S> {
  /** The underlying in-process client, for raw messages. */
  readonly client: InProcessClient;
  /** What the plugin logged, oldest first; empty when `options.logger` was given. */
  readonly logs: readonly CapturedLog[];
  /** Disposes the plugin's instances. */
  close(): Promise<void>;
}

/**
 * Creates a {@link PluginTester} for `plugin` over {@link createInProcessClient}: requests are
 * built from plain values (org 1, an Admin user, a data source with uid `test-datasource-uid` by
 * default), serialized as on the wire, and the answers decoded (frames included). The plugin's logs
 * are kept in `logs` instead of written to stderr unless `options.logger` is given.
 */
export function createPluginTester<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: PluginTesterOptions<NoInfer<J>, NoInfer<S>> = {},
): PluginTester<J, S> {
  const { logger, onRequestCompleted, defaultMetrics, shutdownSignal, ...defaults } = options;
  const capture = logger === undefined ? createLogCapture() : undefined;
  const clientOptions: InProcessClientOptions = { logger: logger ?? capture?.logger };
  if (onRequestCompleted) clientOptions.onRequestCompleted = onRequestCompleted;
  if (defaultMetrics) clientOptions.defaultMetrics = defaultMetrics;
  if (shutdownSignal) clientOptions.shutdownSignal = shutdownSignal;
  const client = createInProcessClient(plugin, clientOptions);
  return Object.assign(createClientTester<J, S>(client, defaults), {
    client,
    logs: capture?.records ?? [],
    close: () => client.close(),
  });
}
