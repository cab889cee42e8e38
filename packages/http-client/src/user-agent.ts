import type { PluginContext } from "@gfsdk/core";
import { processConfig } from "@gfsdk/core";

/** Grafana's own user agent, `Grafana/<version> (<os>; <arch>)`, as the Go SDK's `useragent.Parse` accepts it. */
const grafanaUserAgent = /^Grafana\/([0-9]+\.[0-9]+\.[0-9]+(?:[^\s]+)?) \(([a-zA-Z0-9]+); ([a-zA-Z0-9]+)\)$/;

/**
 * The user agent of downstream requests, as the Go SDK's `UserAgentMiddleware` writes it: the
 * user agent of the Grafana that called (`PluginContext.userAgent`, `Grafana/12.1.0 (linux; amd64)`)
 * followed by ` <pluginId>/<pluginVersion>`; `Grafana <pluginId>/<pluginVersion>` when Grafana sent
 * none (before 10.2) or one of another form. The version falls back to `GF_PLUGIN_VERSION`. Undefined without a plugin id (the Go SDK then sets none).
 */
export function grafanaUserAgentOf(
  pluginContext: Pick<PluginContext, "pluginId" | "pluginVersion" | "userAgent">,
): string | undefined {
  if (!pluginContext.pluginId) return undefined;
  const version = pluginContext.pluginVersion || processConfig().pluginVersion || "";
  const suffix = ` ${pluginContext.pluginId}/${version}`;
  const grafana = pluginContext.userAgent ?? "";
  return grafanaUserAgent.test(grafana) ? `${grafana}${suffix}` : `Grafana${suffix}`;
}
