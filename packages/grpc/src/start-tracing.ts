import type { Logger } from "@gfsdk/core";
import type { CallTracer } from "@gfsdk/core/protocol";
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import { readTracingConfig } from "./tracing-config.js";

/** Options of {@link startTracing}. */
export interface StartTracingOptions {
  /** The environment Grafana set. */
  env: Record<string, string | undefined>;
  logger: Logger;
  /** `service.name` of the spans. Default `grafana-plugin`. */
  pluginId?: string;
  /** `service.version`. Default `GF_PLUGIN_VERSION`. */
  version?: string;
  /** Where spans go instead of the OTLP/gRPC receiver (tests). */
  exporter?: SpanExporter;
}

/** A plugin's tracing while it serves. */
export interface Tracing {
  /** The call tracer to give the plugin's services. */
  tracer: CallTracer;
  /** Exports the spans still buffered, within `timeoutMs` (default 500), and stops tracing. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * Turns on OpenTelemetry tracing when Grafana asks for it (`GF_INSTANCE_OTLP_ADDRESS` set, brief
 * 6.2), or returns undefined. The SDK is imported only then, so a plugin that does not trace never
 * evaluates it. A configuration the Go SDK refuses, or an SDK that fails to load, is logged as an
 * error and the plugin serves without spans (the incoming trace id still reaches its logs).
 */
export async function startTracing(options: StartTracingOptions): Promise<Tracing | undefined> {
  const { logger } = options;
  let config: ReturnType<typeof readTracingConfig>;
  try {
    config = readTracingConfig(options.env);
  } catch (error) {
    logger.error("Tracing not enabled: invalid tracing configuration", { error });
    return undefined;
  }
  if (!config) return undefined;
  for (const warning of config.warnings) logger.warn(warning);
  try {
    const { createOtelTracing } = await import("./otel-call-tracer.js");
    const tracing = createOtelTracing(config, {
      pluginId: options.pluginId,
      version: options.version ?? options.env.GF_PLUGIN_VERSION,
      exporter: options.exporter,
    });
    logger.info("Tracing enabled");
    logger.debug("Tracing configuration", {
      address: config.address,
      propagation: config.propagators.join(","),
      samplerType: config.sampler,
      samplerParam: config.samplerParam,
      samplerRemoteURL: config.samplerRemoteUrl,
    });
    return {
      tracer: tracing.tracer,
      async shutdown(timeoutMs = 500) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn("Tracing: spans not exported before the shutdown timeout", { timeoutMs });
            resolve();
          }, timeoutMs);
        });
        try {
          await Promise.race([
            tracing
              .shutdown()
              .catch((error: unknown) => logger.warn("Tracing: exporting the last spans failed", { error })),
            timeout,
          ]);
        } finally {
          clearTimeout(timer);
        }
      },
    };
  } catch (error) {
    logger.error("Tracing not enabled: the OpenTelemetry SDK failed to start", { error });
    return undefined;
  }
}
