import type { ErrorSource } from "@gfsdk/core";
import { pluginv2 } from "@gfsdk/core/protocol";

/** A health status by name, as Grafana shows it: `"OK"`, `"ERROR"` or `"UNKNOWN"`. */
export type HealthStatusName = keyof typeof pluginv2.CheckHealthResponse_HealthStatus;

/** A CheckHealth answer in plain values. */
export interface HealthCheckResult {
  status: HealthStatusName;
  /** The message Grafana shows; `""` when the plugin gave none. */
  message: string;
  /** `jsonDetails` parsed from JSON; undefined when the plugin sent none. */
  jsonDetails: unknown;
  /** Who caused an ERROR (`CheckHealthResponse.errorSource`, SDK v0.300.0); undefined when unset. */
  errorSource: ErrorSource | undefined;
}

const decoder = new TextDecoder();

function parseDetails(bytes: Uint8Array): unknown {
  const text = decoder.decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `the health check's jsonDetails are not JSON: ${JSON.stringify(text.slice(0, 200))}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Converts a CheckHealth response message to a {@link HealthCheckResult}. `jsonDetails` that are
 * not JSON throw a SyntaxError that quotes them.
 */
export function toHealthCheckResult(response: pluginv2.CheckHealthResponse): HealthCheckResult {
  // An unknown number (a newer host's status) reads as UNKNOWN, as Grafana treats it.
  const status: HealthStatusName =
    (pluginv2.CheckHealthResponse_HealthStatus[response.status] as HealthStatusName | undefined) ?? "UNKNOWN";
  return {
    status,
    message: response.message,
    jsonDetails: response.jsonDetails.length === 0 ? undefined : parseDetails(response.jsonDetails),
    errorSource: response.errorSource === "" ? undefined : (response.errorSource as ErrorSource),
  };
}
