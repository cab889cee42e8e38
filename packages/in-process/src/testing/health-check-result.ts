import { HealthStatus } from "@gfsdk/core";
import type { pluginv2 } from "@gfsdk/core/protocol";

/** A health status by name, as Grafana shows it. */
export type HealthStatusName = "OK" | "ERROR" | "UNKNOWN";

/** A CheckHealth answer in plain values. */
export interface HealthCheckResult {
  status: HealthStatusName;
  /** The message Grafana shows; `""` when the plugin gave none. */
  message: string;
  /** `jsonDetails` parsed from JSON; undefined when the plugin sent none. */
  jsonDetails: unknown;
}

const decoder = new TextDecoder();

/** Converts a CheckHealth response message to a {@link HealthCheckResult}. */
export function toHealthCheckResult(response: pluginv2.CheckHealthResponse): HealthCheckResult {
  const status =
    response.status === HealthStatus.OK ? "OK" : response.status === HealthStatus.ERROR ? "ERROR" : "UNKNOWN";
  return {
    status,
    message: response.message,
    jsonDetails:
      response.jsonDetails.length === 0 ? undefined : JSON.parse(decoder.decode(response.jsonDetails)),
  };
}
