import type { HandlerContext } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { type CallEnd, type CallSpan, type CallTracer, createW3cCallTracer } from "./call-tracer.js";
import { contextualLogAttributes } from "./contextual-log-attributes.js";
import { type ActiveCall, activeCall, type DownstreamObserver } from "./downstream-request.js";
import { ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";
import type { PluginContext as PluginContextMessage } from "./gen/pluginv2/backend_pb.js";
import type { InstanceManager } from "./instance-manager.js";
import type { Logger, SecretRedactor } from "./logger.js";
import type { CallContext, InstanceSettings } from "./plugin.js";
import type { PluginContext, PluginContextParser } from "./plugin-context.js";
import { classifyError, type ErrorSource, errorMessage, PluginError } from "./plugin-error.js";

/** How one call ended, for request metrics. */
export interface CompletedRequest {
  /** The handler: `queryData`, `checkHealth`, `callResource`, … */
  endpoint: string;
  /** `ok`, `error` (a whole-request failure, or any failed query), or `cancelled`. */
  status: "ok" | "error" | "cancelled";
  /** Who caused the error; empty when there was none. */
  source: ErrorSource | "";
  /** From the call's start to its answer, in milliseconds. */
  durationMs: number;
}

/** What a call scope needs: the plugin's shared state. @private */
export interface CallScopeDeps {
  logger: Logger;
  redactor: SecretRedactor;
  parser: PluginContextParser;
  validateSettings(pluginContext: PluginContext): Promise<InstanceSettings<unknown, unknown>>;
  instances: InstanceManager<unknown> | undefined;
  shutdownSignal: AbortSignal | undefined;
  onRequestCompleted: ((request: CompletedRequest) => void) | undefined;
  /** Traces each call; default: no spans, the incoming W3C trace context honoured. */
  tracer?: CallTracer;
  /** Observe the downstream HTTP requests of each call besides its tracing (metrics). */
  downstreamObservers?: readonly DownstreamObserver[];
}

/** Options of one {@link CallScope.run}. @private */
export interface RunOptions<T> {
  /** Whether a result that is not a failure of the call still counts as one (a failed query). */
  outcome?: (result: T) => { error: boolean; source: ErrorSource | "" };
  /**
   * Answers the call when its settings fail validation, instead of failing it (QueryData answers
   * each query with the error, CheckHealth answers ERROR).
   */
  onInvalidSettings?: (error: PluginError) => T | Promise<T>;
}

/** Runs calls: one place for the plugin context, settings, instance lease, logging, metrics and error mapping. @private */
export interface CallScope {
  readonly redactor: SecretRedactor;
  run<T>(
    endpoint: string,
    message: PluginContextMessage | undefined,
    headers: Record<string, string>,
    hctx: HandlerContext,
    fn: (ctx: CallContext<unknown, unknown, unknown>) => Promise<T>,
    options?: RunOptions<T>,
  ): Promise<T>;
  /** `error` as text for the host, this plugin's secrets masked. */
  message(error: unknown): string;
  /** `error` with its message masked: a PluginError keeps its status and source, as a cause the original. */
  maskError(error: unknown): unknown;
}

/**
 * The call scope of one plugin's services. Each call parses its plugin context (settings cached),
 * validates its settings with the plugin's schemas, leases the instance of its settings (never
 * disposed while the call runs), gets a logger with the call's attributes, counts and logs its
 * outcome, and turns a failure into a gRPC error carrying its error source. @private Internal code.
 */
export function createCallScope(deps: CallScopeDeps): CallScope {
  const { redactor } = deps;
  const tracer = deps.tracer ?? createW3cCallTracer();
  return {
    redactor,
    message: (error) => errorMessage(error, redactor),
    maskError(error) {
      const text = errorMessage(error, redactor);
      if (error instanceof PluginError) {
        return text === error.message
          ? error
          : new PluginError(text, { status: error.status, source: error.source, cause: error });
      }
      if (error instanceof Error && text === error.message) return error;
      // A plain Error stays one (a timeout's error is classified by the signal, not as a PluginError).
      return new Error(text, { cause: error });
    },
    run(endpoint, message, headers, hctx, fn, options = {}) {
      const span = tracer.start({
        endpoint,
        service: hctx.service?.typeName ?? "",
        method: hctx.method?.name ?? "",
        requestHeader: hctx.requestHeader,
        redact: (text) => redactor.redact(text),
      });
      const call: ActiveCall = {
        endpoint,
        pluginContext: undefined,
        observers: [(request) => span.startDownstream(request), ...(deps.downstreamObservers ?? [])],
      };
      // The handler, createInstance and everything they start run inside the call: its span is
      // their parent, and downstream requests find the call (observeDownstreamRequest).
      return activeCall.run(call, () =>
        span.run(() => runCall(endpoint, message, headers, hctx, fn, options, span, call)),
      );
    },
  };

  async function runCall<T>(
    endpoint: string,
    message: PluginContextMessage | undefined,
    headers: Record<string, string>,
    hctx: HandlerContext,
    fn: (ctx: CallContext<unknown, unknown, unknown>) => Promise<T>,
    options: RunOptions<T>,
    span: CallSpan,
    call: ActiveCall,
  ): Promise<T> {
    const signal = deps.shutdownSignal ? AbortSignal.any([hctx.signal, deps.shutdownSignal]) : hctx.signal;
    const started = performance.now();
    const { traceId } = span;
    // Grafana's contextual attributes first: the SDK's own keys below win over one of the same name.
    const contextual = contextualLogAttributes(hctx.requestHeader);
    const traced = traceId === undefined ? {} : { traceId };
    let logger = deps.logger.with({ ...contextual, endpoint, ...traced });
    let end: CallEnd = { status: "ok", source: "", code: 0 };
    let lease: { instance: unknown; release(): void } | undefined;
    let status: CompletedRequest["status"] = "ok";
    let source: CompletedRequest["source"] = "";
    try {
      // Inside the try: a call whose settings cannot be parsed is still counted and logged.
      const parsed = deps.parser.parse(message);
      call.pluginContext = parsed;
      span.setPluginContext(parsed);
      logger = deps.logger.with({
        ...contextual,
        pluginId: parsed.pluginId,
        endpoint,
        ...traced,
        ...(parsed.dataSourceInstanceSettings
          ? {
              dsUid: parsed.dataSourceInstanceSettings.uid,
              dsName: parsed.dataSourceInstanceSettings.name,
            }
          : {}),
        ...(parsed.user ? { uname: parsed.user.login } : {}),
      });
      let settings: InstanceSettings<unknown, unknown>;
      try {
        settings = await deps.validateSettings(parsed);
      } catch (error) {
        if (options.onInvalidSettings && error instanceof PluginError) {
          logger.debug("Invalid settings", { error });
          const answer = await options.onInvalidSettings(error);
          status = "error";
          source = error.source;
          end = { status, source, code: 0, error: errorMessage(error, redactor) };
          return answer;
        }
        throw error;
      }
      if (deps.instances) lease = await deps.instances.acquire(settings.pluginContext as PluginContext);
      // Cancelled while its settings or instance were prepared: the handler is not started.
      if (signal.aborted) throw abortError(signal);
      const result = await fn({ ...settings, headers, signal, logger, instance: lease?.instance });
      // The caller is gone or its deadline passed: it gets that status, not an answer built from
      // handlers that were interrupted (a race the caller's own timer does not always win).
      if (signal.aborted) throw abortError(signal);
      const o = options.outcome?.(result);
      if (o?.error) {
        status = "error";
        source = o.source;
        end = { status, source, code: 0 };
      }
      return result;
    } catch (error) {
      const connectError = toConnectError(error, signal, redactor);
      status = connectError.code === Code.Canceled || signal.aborted ? "cancelled" : "error";
      source = status === "error" ? errorSourceOf(connectError) : "";
      end = { status, source, code: connectError.code, error: redactor.redact(connectError.rawMessage) };
      throw connectError;
    } finally {
      lease?.release();
      const durationMs = performance.now() - started;
      logger.debug("Plugin Request Completed", {
        status,
        statusSource: source,
        duration: `${durationMs.toFixed(3)}ms`,
      });
      try {
        deps.onRequestCompleted?.({ endpoint, status, source, durationMs });
      } catch (error) {
        logger.error("onRequestCompleted failed", { error });
      }
      try {
        span.end(end);
      } catch (error) {
        logger.error("Ending the call's span failed", { error });
      }
    }
  }
}

/** The error source a gRPC error carries in its `google.rpc.ErrorInfo`; `plugin` without one. */
export function errorSourceOf(error: ConnectError): ErrorSource {
  return error.findDetails(ErrorInfoSchema)[0]?.metadata.errorSource === "downstream"
    ? "downstream"
    : "plugin";
}

/**
 * A gRPC error for a whole-request failure. Tagged errors use code UNKNOWN with a
 * `google.rpc.ErrorInfo` detail holding `errorSource`, which Grafana reads for its SLOs. The
 * message has `redactor`'s secrets masked.
 */
export function toConnectError(
  error: unknown,
  signal?: AbortSignal,
  redactor?: SecretRedactor,
): ConnectError {
  if (error instanceof ConnectError) return error;
  if (signal?.aborted && !(error instanceof PluginError)) return abortError(signal, error);
  const { source } = classifyError(error);
  return new ConnectError(
    errorMessage(error, redactor),
    Code.Unknown,
    undefined,
    [{ desc: ErrorInfoSchema, value: { reason: "PLUGIN_ERROR", metadata: { errorSource: source } } }],
    error,
  );
}

/** The error for a call whose signal fired: its reason when that is a status (deadline, shutdown), else CANCELLED. */
function abortError(signal: AbortSignal, cause?: unknown): ConnectError {
  if (signal.reason instanceof ConnectError) return signal.reason;
  return new ConnectError(
    "the call was cancelled",
    Code.Canceled,
    undefined,
    undefined,
    cause ?? signal.reason,
  );
}

/** Fails a call of an RPC the plugin has no handler for. @private */
export function unimplemented(name: string): never {
  throw new ConnectError(`${name} is not implemented by this plugin`, Code.Unimplemented);
}
