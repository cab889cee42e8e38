import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { createLogger, type Logger, type Plugin } from "@gfsdk/core";
import {
  type CallTracer,
  createPluginServices,
  defaultMaxMessageBytes,
  goplugin,
  health,
  type SecretRedactor,
} from "@gfsdk/core/protocol";
import { Server, type ServerCredentials } from "@grpc/grpc-js";
import { type BoundAddress, bindGrpcServer, type ListenTarget } from "./bind-grpc-server.js";
import { createControllerService } from "./controller-service.js";
import { createGrpcServiceDefinition } from "./grpc-service-definition.js";
import { createHealthService } from "./health-service.js";
import { createPluginMetrics, type PluginMetrics } from "./plugin-metrics.js";
import { createStdioService } from "./stdio-service.js";
import { removeUnixSocket } from "./unix-socket-path.js";

/** Largest request accepted by default, in bytes: core's `defaultMaxMessageBytes` (16 MiB), shared with the Connect adapter. */
export const defaultMaxReceiveMessageSize = defaultMaxMessageBytes;

/**
 * How long a graceful shutdown waits for calls in flight by default, in milliseconds. Grafana
 * kills a plugin 2 s after asking it to shut down; this leaves time to close and exit.
 */
export const defaultShutdownTimeoutMs = 1500;

/** Options of {@link createGrpcServer}. */
export interface GrpcServerOptions {
  /** Where to listen. */
  listen: ListenTarget;
  /**
   * Request metrics, and what CollectMetrics serves when the plugin has no `collectMetrics`
   * handler. Default: {@link createPluginMetrics} on prom-client's global registry; `false` for none.
   */
  metrics?: PluginMetrics | false;
  /** Transport security, e.g. AutoMTLS's (`createAutoMtlsCredentials`). Default plaintext. */
  credentials?: ServerCredentials;
  /** The logger of the server and of the plugin's handlers. Default: hclog JSON on stderr. */
  logger?: Logger;
  /** Masks the plugin's secrets; its services register them. Default: a new one (see `GrpcServer.redactor`). */
  redactor?: SecretRedactor;
  /** Largest request accepted, in bytes; larger ones fail with RESOURCE_EXHAUSTED. Default 16 MiB. Responses are unlimited. */
  maxReceiveMessageSize?: number;
  /** How long `shutdown()` lets calls in flight finish before it cancels them, in ms. Default 1500. */
  shutdownTimeoutMs?: number;
  /** Runs when the host calls `GRPCController.Shutdown`. Default: the server's own `shutdown()`. */
  onShutdownRequest?: () => void;
  /**
   * Traces each call: {@link startTracing}'s when Grafana turns tracing on. Default: no spans, the
   * incoming W3C `traceparent` still giving the call's logs their `traceId`.
   */
  tracer?: CallTracer;
}

/** A running gRPC plugin server. */
export interface GrpcServer extends BoundAddress {
  /** The grpc-js server, for adding services of your own. */
  server: Server;
  /**
   * Stops taking calls, lets those in flight finish for up to `shutdownTimeoutMs`, then cancels
   * their signals and closes every connection; disposes the plugin's instances and removes the
   * unix socket. Safe to call more than once.
   */
  shutdown(): Promise<void>;
  /** Settles once the server is closed, whoever closed it. */
  closed: Promise<void>;
  /** Masks the plugin's secrets (those of its settings in use), for whatever else the process writes. */
  redactor: SecretRedactor;
}

/**
 * Node's HTTP/2 server ends a connection whose peer resets more than 33 streams a second once a
 * burst of 1000 is spent (nghttp2's rapid-reset guard), failing every call in flight on it with
 * RST_STREAM INTERNAL_ERROR. Grafana resets a stream for every call it cancels and every live
 * stream it closes, so a busy Grafana trips it (the soak test does in seconds). The one peer is
 * the plugin's own host on loopback or a unix socket, and the Go SDK's server has no such limit,
 * so it is lifted. grpc-js passes no such option to `http2.createServer`: it is added to the
 * options grpc-js gives it, before the server binds.
 */
function allowStreamResets(server: Server): void {
  const http2Options = (server as unknown as { commonServerOptions?: Record<string, unknown> })
    .commonServerOptions;
  if (!http2Options) return;
  http2Options.streamResetBurst = 1_000_000_000;
  http2Options.streamResetRate = 1_000_000_000;
}

// Instance disposal is the plugin's code; do not let it hold up an exit Grafana is waiting for.
const disposeTimeoutMs = 250;

/**
 * Serves a plugin over gRPC at one address, without the go-plugin process contract (no handshake,
 * no exit, no signals): every pluginv2 service, `grpc.health.v1.Health`, `plugin.GRPCController`
 * and `plugin.GRPCStdio`. {@link serve} builds on it; tests use it directly.
 */
export async function createGrpcServer<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: GrpcServerOptions,
): Promise<GrpcServer> {
  const logger = options.logger ?? createLogger();
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? defaultShutdownTimeoutMs;
  // Aborted when the grace period is over: handlers still running must stop.
  const forced = new AbortController();
  // Aborted when shutdown starts: our own endless streams end so they do not hold it up.
  const draining = new AbortController();
  const metrics = options.metrics === false ? undefined : (options.metrics ?? createPluginMetrics());
  const services = createPluginServices(plugin, {
    logger,
    redactor: options.redactor,
    shutdownSignal: forced.signal,
    onRequestCompleted: metrics?.onRequestCompleted,
    onActiveInstancesChange: metrics?.onActiveInstancesChange,
    tracer: options.tracer,
    downstreamObservers: metrics ? [metrics.downstreamObserver] : [],
    defaultMetrics: metrics?.collect,
  });
  const healthService = createHealthService();
  const server = new Server({
    "grpc.max_receive_message_length": options.maxReceiveMessageSize ?? defaultMaxReceiveMessageSize,
    "grpc.max_send_message_length": -1,
  });
  allowStreamResets(server);

  let shutdown: () => Promise<void> = async () => {};
  const entries: { service: DescService; impl: ServiceImpl<DescService> }[] = [
    ...services.entries,
    { service: health.Health, impl: healthService.impl as unknown as ServiceImpl<DescService> },
    {
      service: goplugin.GRPCController,
      impl: createControllerService(() =>
        (options.onShutdownRequest ?? shutdown)(),
      ) as unknown as ServiceImpl<DescService>,
    },
    {
      service: goplugin.GRPCStdio,
      impl: createStdioService(draining.signal) as unknown as ServiceImpl<DescService>,
    },
  ];
  for (const { service, impl } of entries) {
    const { definition, implementation } = createGrpcServiceDefinition(service, impl, { logger });
    server.addService(definition, implementation);
  }

  const removeSocket = async () => {
    if (options.listen.network === "unix") await removeUnixSocket(options.listen.path);
  };
  let bound: BoundAddress;
  try {
    bound = await bindGrpcServer(server, options.listen, options.credentials);
  } catch (error) {
    server.forceShutdown();
    await removeSocket();
    await services.close();
    throw error;
  }

  let finished = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const finish = async () => {
    if (finished) return;
    finished = true;
    const disposed = services
      .close()
      .catch((error: unknown) => logger.error("Failed to dispose instances", { error }));
    await Promise.race([disposed, new Promise((resolve) => setTimeout(resolve, disposeTimeoutMs).unref())]);
    await removeSocket().catch(() => {});
    resolveClosed();
  };
  let started = false;
  shutdown = () => {
    if (!started) {
      started = true;
      logger.debug("Plugin server shutting down", { timeoutMs: shutdownTimeoutMs });
      healthService.setServing(false);
      healthService.close();
      draining.abort();
      const timer = setTimeout(() => {
        logger.warn("Calls still running at shutdown; cancelling them", { timeoutMs: shutdownTimeoutMs });
        forced.abort(new ConnectError("the plugin is shutting down", Code.Unavailable));
        server.forceShutdown();
        void finish();
      }, shutdownTimeoutMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        void finish();
      });
    }
    return closed;
  };

  return { server, ...bound, shutdown: () => shutdown(), closed, redactor: services.redactor };
}
