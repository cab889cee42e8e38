import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import { createAdmissionService } from "./admission-service.js";
import { type CompletedRequest, createCallScope } from "./call-scope.js";
import type { CallTracer } from "./call-tracer.js";
import { createConversionService } from "./conversion-service.js";
import { createDataService } from "./data-service.js";
import { createDiagnosticsService } from "./diagnostics-service.js";
import type { DownstreamObserver } from "./downstream-request.js";
import {
  AdmissionControl,
  Data,
  Diagnostics,
  Resource,
  ResourceConversion,
  Stream,
} from "./gen/pluginv2/backend_pb.js";
import { createInstanceManager, defaultInstanceIdleTtlMs } from "./instance-manager.js";
import { createLogger, type Logger, maskLogger, SecretRedactor } from "./logger.js";
import type { Plugin } from "./plugin.js";
import { PluginContextParser } from "./plugin-context.js";
import { createResourceService } from "./resource-service.js";
import { createSettingsValidator } from "./settings-validator.js";
import { createStreamService } from "./stream-service.js";

export type { CompletedRequest } from "./call-scope.js";
export { toConnectError } from "./call-scope.js";

/** The pluginv2 services, keyed as go-plugin's plugin set names them. */
export const pluginServices = {
  diagnostics: Diagnostics,
  resource: Resource,
  data: Data,
  stream: Stream,
  admission: AdmissionControl,
  conversion: ResourceConversion,
} as const;

/** One Connect service implementation per pluginv2 service. */
export type PluginServiceImpls = {
  [K in keyof typeof pluginServices]: ServiceImpl<(typeof pluginServices)[K]>;
};

/** Options of {@link createPluginServices}. */
export interface PluginServicesOptions {
  /** Called as each call ends; adapters feed their request metrics from it. */
  onRequestCompleted?: (request: CompletedRequest) => void;
  /**
   * Answers CollectMetrics for plugins without a `collectMetrics` handler, in Prometheus text
   * format. Default: none, and such a plugin answers UNIMPLEMENTED.
   */
  defaultMetrics?: () => Promise<string> | string;
  /**
   * The logger handlers get (with request attributes added); it is wrapped to mask this plugin's
   * secrets. Default: hclog JSON on stderr.
   */
  logger?: Logger;
  /** Aborted when the plugin shuts down; every call's signal follows it. */
  shutdownSignal?: AbortSignal;
  /**
   * Called with the number of built, not yet disposed plugin instances each time it changes;
   * adapters feed the `plugins_active_instances` gauge from it.
   */
  onActiveInstancesChange?: (active: number) => void;
  /**
   * Where this plugin's secrets are registered for masking. Default: a new one, the services'
   * own; an adapter passes one to mask what else it writes (stdout) with the same secrets.
   */
  redactor?: SecretRedactor;
  /**
   * Traces each call (an adapter's OpenTelemetry tracing). Default: no spans, but the incoming W3C
   * `traceparent` still gives every log line of the call its `traceId` and is forwarded downstream.
   */
  tracer?: CallTracer;
  /** Observe each call's downstream HTTP requests besides its tracer (the adapter's metrics). */
  downstreamObservers?: readonly DownstreamObserver[];
}

/** A plugin's services, with a way to release what they hold. */
export interface PluginServices {
  impls: PluginServiceImpls;
  /** Each pluginv2 service descriptor with its implementation, for adapters to register. */
  entries: { service: DescService; impl: ServiceImpl<DescService> }[];
  /** Masks this plugin's secrets: those of the settings its calls carry, while in use. */
  redactor: SecretRedactor;
  /** Disposes every plugin instance and forgets every settings. */
  close(): Promise<void>;
}

/**
 * Turns a plugin into one Connect `ServiceImpl` per pluginv2 service, with Grafana's defaults:
 * absent handlers answer UNIMPLEMENTED, `status` is 200 unless set, `format` echoes the request,
 * one failing query does not fail the others, and whole-request failures carry their error source.
 */
export function createPluginServices<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: PluginServicesOptions = {},
): PluginServices {
  const handlers = plugin.handlers;
  const redactor = options.redactor ?? new SecretRedactor();
  const logger = maskLogger(options.logger ?? createLogger({ redactor }), redactor);
  const idleTtlMs = handlers.instanceIdleTtlMs ?? defaultInstanceIdleTtlMs;
  const parser = new PluginContextParser({ redactor, idleTtlMs });
  const createInstance = handlers.createInstance;
  const instances = createInstance
    ? createInstanceManager<unknown>({
        // The validated plugin context: its settings are the schemas' outputs.
        create: (pluginContext) => {
          const settings = pluginContext.dataSourceInstanceSettings ?? pluginContext.appInstanceSettings;
          return createInstance({
            pluginContext,
            jsonData: settings?.jsonData ?? {},
            secureJsonData: settings?.decryptedSecureJsonData ?? {},
          });
        },
        dispose: handlers.disposeInstance,
        onDisposeError: (error) => logger.error("Failed to dispose instance", { error }),
        onActiveChange: options.onActiveInstancesChange,
        idleTtlMs,
        // The parsed settings and their secrets go with an idle instance (a replaced one's key
        // holds its successor's settings already).
        onEvict: ({ key, reason }) => {
          if (reason === "idle") parser.evict(key);
        },
      })
    : undefined;
  const scope = createCallScope({
    logger,
    redactor,
    parser,
    validateSettings: createSettingsValidator(handlers.jsonData, handlers.secureJsonData),
    instances,
    shutdownSignal: options.shutdownSignal,
    onRequestCompleted: options.onRequestCompleted,
    tracer: options.tracer,
    downstreamObservers: options.downstreamObservers,
  });
  const impls: PluginServiceImpls = {
    diagnostics: createDiagnosticsService(scope, handlers, options.defaultMetrics),
    resource: createResourceService(scope, handlers),
    data: createDataService(scope, handlers),
    stream: createStreamService(scope, handlers),
    admission: createAdmissionService(scope, handlers),
    conversion: createConversionService(scope, handlers),
  };
  const entries = (Object.keys(pluginServices) as (keyof typeof pluginServices)[]).map((key) => ({
    service: pluginServices[key] as DescService,
    impl: impls[key] as unknown as ServiceImpl<DescService>,
  }));
  return {
    impls,
    entries,
    redactor,
    close: async () => {
      await instances?.disposeAll();
      parser.clear();
    },
  };
}

/** Registers a plugin's services on a Connect router. */
export function registerPlugin(router: ConnectRouter, services: PluginServices): ConnectRouter {
  for (const { service, impl } of services.entries) router.service(service, impl);
  return router;
}
