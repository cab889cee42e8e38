import type { DescService, MessageInitShape } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { AsyncQueue } from "./async-queue.js";
import { type DataQuery, parseDataQuery } from "./data-query.js";
import { encodeFrame, type FrameFormat } from "./encodable-frame.js";
import { ErrorInfoSchema } from "./gen/google/rpc/error_details_pb.js";
import {
  AdmissionControl,
  type CallResourceResponseSchema,
  CheckHealthResponse_HealthStatus,
  Data,
  DataFrameFormat,
  type DataQuery as DataQueryMessage,
  type DataResponseSchema,
  Diagnostics,
  type PluginContext as PluginContextMessage,
  type QueryChunkedDataResponseSchema,
  Resource,
  ResourceConversion,
  Stream,
} from "./gen/pluginv2/backend_pb.js";
import { InstanceManager } from "./instance-manager.js";
import { createLogger, type Logger } from "./logger.js";
import type {
  CallContext,
  DataResult,
  Plugin,
  PluginHandlers,
  QueryContext,
  QueryHandler,
  StreamRequest,
} from "./plugin.js";
import { PluginContextParser } from "./plugin-context.js";
import {
  checkedHttpStatus,
  classifyError,
  type ErrorSource,
  errorMessage,
  PluginError,
} from "./plugin-error.js";
import { fromWebResponse, toWebRequest } from "./web-resource.js";

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

/** Options of {@link createPluginServices}. */
export interface PluginServicesOptions {
  /** Called as each call ends; adapters feed their request metrics from it. */
  onRequestCompleted?: (request: CompletedRequest) => void;
  /**
   * Answers CollectMetrics for plugins without a `collectMetrics` handler, in Prometheus text
   * format. Default: none, and such a plugin answers UNIMPLEMENTED.
   */
  defaultMetrics?: () => Promise<string> | string;
  /** The logger handlers get (with request attributes added). Default: hclog JSON on stderr. */
  logger?: Logger;
  /** Aborted when the plugin shuts down; every call's signal follows it. */
  shutdownSignal?: AbortSignal;
  /**
   * Called with the number of built, not yet disposed plugin instances each time it changes;
   * adapters feed the `plugins_active_instances` gauge from it.
   */
  onActiveInstancesChange?: (active: number) => void;
}

/** A plugin's services, with a way to release what they hold. */
export interface PluginServices {
  impls: PluginServiceImpls;
  /** Each pluginv2 service descriptor with its implementation, for adapters to register. */
  entries: { service: DescService; impl: ServiceImpl<DescService> }[];
  /** Disposes every plugin instance. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const emptyBytes = new Uint8Array(0);

/**
 * Turns a plugin into one Connect `ServiceImpl` per pluginv2 service, with Grafana's defaults:
 * absent handlers answer UNIMPLEMENTED, `status` is 200 unless set, `format` echoes the request,
 * one failing query does not fail the others, and whole-request failures carry their error source.
 */
export function createPluginServices<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: PluginServicesOptions = {},
): PluginServices {
  // The handlers are typed for the author's settings; at runtime they are parsed JSON like any other.
  const handlers = plugin.handlers as unknown as PluginHandlers<unknown, unknown, unknown>;
  const rootLogger = options.logger ?? createLogger();
  const contexts = new PluginContextParser();
  const instances = handlers.createInstance
    ? new InstanceManager<unknown>(
        (pc) => handlers.createInstance!(pc as never),
        handlers.disposeInstance,
        (error) => rootLogger.error("Failed to dispose instance", { error }),
        options.onActiveInstancesChange,
      )
    : undefined;
  const concurrency = Math.max(1, handlers.queryConcurrency ?? 10);

  const unimplemented = (name: string): never => {
    throw new ConnectError(`${name} is not implemented by this plugin`, Code.Unimplemented);
  };

  /** Runs `fn` with a call context; failures become gRPC errors carrying the error source. */
  async function withContext<T>(
    endpoint: string,
    message: PluginContextMessage | undefined,
    headers: Record<string, string>,
    hctx: HandlerContext,
    fn: (ctx: CallContext<unknown, unknown, unknown>) => Promise<T>,
    outcome?: (result: T) => { error: boolean; source: ErrorSource | "" },
  ): Promise<T> {
    const signal = callSignal(hctx.signal, options.shutdownSignal);
    const started = performance.now();
    let logger = rootLogger.with({ endpoint });
    let lease: { instance: unknown; release(): void } | undefined;
    let status: CompletedRequest["status"] = "ok";
    let source: CompletedRequest["source"] = "";
    try {
      // Inside the try: a call whose settings cannot be parsed is still counted and logged.
      const pluginContext = contexts.parse(message);
      logger = rootLogger.with({
        pluginId: pluginContext.pluginId,
        endpoint,
        ...(pluginContext.dataSourceInstanceSettings
          ? {
              dsUid: pluginContext.dataSourceInstanceSettings.uid,
              dsName: pluginContext.dataSourceInstanceSettings.name,
            }
          : {}),
        ...(pluginContext.user ? { uname: pluginContext.user.login } : {}),
      });
      if (instances) lease = await instances.acquire(pluginContext);
      const result = await fn({ pluginContext, headers, signal, logger, instance: lease?.instance });
      // The caller is gone or its deadline passed: it gets that status, not an answer built from
      // handlers that were interrupted (a race the caller's own timer does not always win).
      if (signal.aborted) throw abortError(signal);
      const o = outcome?.(result);
      if (o?.error) {
        status = "error";
        source = o.source;
      }
      return result;
    } catch (error) {
      const connectError = toConnectError(error, signal);
      status = connectError.code === Code.Canceled || signal.aborted ? "cancelled" : "error";
      source =
        status === "error"
          ? ((connectError.findDetails(ErrorInfoSchema)[0]?.metadata.errorSource as ErrorSource) ?? "plugin")
          : "";
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
        options.onRequestCompleted?.({ endpoint, status, source, durationMs });
      } catch (error) {
        logger.error("onRequestCompleted failed", { error });
      }
    }
  }

  async function runQuery(
    handler: QueryHandler<unknown, unknown, unknown, unknown> | undefined,
    { message, query, error: parseError }: ParsedQuery,
    ctx: QueryContext<unknown, unknown, unknown>,
    format: DataFrameFormat,
  ): Promise<MessageInitShape<typeof DataResponseSchema>> {
    try {
      if (!query) throw parseError;
      const h = handler ?? queryTypeHandler(handlers.queryData, query.queryType);
      const result = normalizeResult(await h(query as DataQuery<unknown>, ctx));
      const frameFormat: FrameFormat = format === DataFrameFormat.JSON ? "json" : "arrow";
      return {
        frames: (result.frames ?? []).map((f) => encodeFrame(f, frameFormat, { refId: message.refId })),
        // Masked like thrown errors: a handler may put a secret in the text it returns.
        error: result.error ? errorMessage(result.error) : "",
        status: checkedHttpStatus(result.status ?? (result.error ? 500 : 200), "the query handler's status"),
        errorSource: result.error ? (result.errorSource ?? "plugin") : "",
        format,
      };
    } catch (error) {
      const { status, source } = classifyError(error, ctx.signal);
      ctx.logger.debug("Query failed", { refId: message.refId, error });
      return { error: errorMessage(error) || "query failed", status, errorSource: source, format };
    }
  }

  const impls: PluginServiceImpls = {
    diagnostics: {
      async checkHealth(req, hctx) {
        const h = handlers.checkHealth ?? unimplemented("CheckHealth");
        try {
          return await withContext("checkHealth", req.pluginContext, req.headers, hctx, async (ctx) => {
            const result = await h(ctx);
            return {
              status: result.status,
              message: result.message ? errorMessage(result.message) : "",
              jsonDetails:
                result.jsonDetails === undefined
                  ? emptyBytes
                  : encoder.encode(JSON.stringify(result.jsonDetails)),
            };
          });
        } catch (error) {
          // The Go SDK reports a failing instance factory as an unhealthy data source, not an RPC error.
          if (error instanceof ConnectError && error.code === Code.Unimplemented) throw error;
          // A cancelled call, or one past its deadline, keeps that status (see withContext).
          if (hctx.signal.aborted || options.shutdownSignal?.aborted) throw error;
          return {
            status: CheckHealthResponse_HealthStatus.ERROR,
            message: error instanceof ConnectError ? error.rawMessage : errorMessage(error),
          };
        }
      },
      async collectMetrics(req, hctx) {
        const h = handlers.collectMetrics ?? options.defaultMetrics ?? unimplemented("CollectMetrics");
        return withContext("collectMetrics", req.pluginContext, {}, hctx, async (ctx) => {
          const text = await h(ctx);
          return { metrics: { prometheus: typeof text === "string" ? encoder.encode(text) : text } };
        });
      },
    },
    data: {
      async queryData(req, hctx) {
        if (!handlers.queryData) unimplemented("QueryData");
        const single =
          typeof handlers.queryData === "function"
            ? (handlers.queryData as QueryHandler<unknown, unknown, unknown, unknown>)
            : undefined;
        return withContext(
          "queryData",
          req.pluginContext,
          req.headers,
          hctx,
          async (ctx) => {
            const parsed = parseQueries(req.queries);
            const qctx: QueryContext<unknown, unknown, unknown> = {
              ...ctx,
              format: req.format === DataFrameFormat.JSON ? "json" : "arrow",
              queries: parsedOnly(parsed),
            };
            const responses: Record<string, MessageInitShape<typeof DataResponseSchema>> = {};
            await forEachConcurrent(parsed, concurrency, async (entry) => {
              responses[entry.message.refId] = await runQuery(single, entry, qctx, req.format);
            });
            return { responses };
          },
          queryOutcome,
        );
      },
      async *queryChunkedData(req, hctx) {
        const h = handlers.queryChunkedData ?? unimplemented("QueryChunkedData");
        const queue = new AsyncQueue<MessageInitShape<typeof QueryChunkedDataResponseSchema>>();
        const frameFormat: FrameFormat = req.format === DataFrameFormat.JSON ? "json" : "arrow";
        const run = withContext("queryChunkedData", req.pluginContext, req.headers, hctx, async (ctx) => {
          const parsed = parseQueries(req.queries);
          const qctx: QueryContext<unknown, unknown, unknown> = {
            ...ctx,
            format: frameFormat,
            queries: parsedOnly(parsed),
          };
          await forEachConcurrent(parsed, concurrency, async ({ message, query, error: parseError }) => {
            const refId = message.refId;
            const seen = new Set<string>();
            const writeError = (error: string, opts: { status?: number; source?: string } = {}) =>
              queue.push({
                refId,
                error,
                status: checkedHttpStatus(opts.status ?? 500, "writeError's status"),
                errorSource: opts.source ?? "plugin",
                format: req.format,
              });
            try {
              if (!query) throw parseError;
              await h(
                query,
                {
                  writeFrame: (frame, frameId = refId) => {
                    const first = !seen.has(frameId);
                    seen.add(frameId);
                    const bytes = encodeFrame(frame, frameFormat, { refId, include: first ? "all" : "data" });
                    return queue.push({ refId, frameId, frame: bytes, status: 200, format: req.format });
                  },
                  writeError,
                },
                qctx,
              );
            } catch (error) {
              const { status, source } = classifyError(error, ctx.signal);
              await writeError(errorMessage(error), { status, source });
            }
          });
        });
        run.then(
          () => queue.close(),
          (error: unknown) => queue.close({ error }),
        );
        yield* queue;
      },
    },
    resource: {
      async *callResource(req, hctx) {
        const h = handlers.callResource ?? unimplemented("CallResource");
        const queue = new AsyncQueue<MessageInitShape<typeof CallResourceResponseSchema>>();
        const run = withContext("callResource", req.pluginContext, {}, hctx, async (ctx) => {
          let request: Request;
          try {
            request = toWebRequest(req, ctx.signal);
          } catch (error) {
            // A path or header Grafana should not have sent is the caller's 400, as Go's url.Parse
            // makes it, answered in band so the host sees a status and not a failed call.
            if (!(error instanceof PluginError) || error.status !== 400) throw error;
            await queue.push({
              code: 400,
              headers: { "content-type": { values: ["text/plain; charset=utf-8"] } },
              body: encoder.encode(errorMessage(error)),
            });
            return;
          }
          const response = await h(request, { ...ctx, path: req.path, url: req.url });
          if (!(response instanceof Response)) {
            throw new PluginError("the resource handler must return a web Response");
          }
          for await (const message of fromWebResponse(response, ctx.signal)) await queue.push(message);
        });
        run.then(
          () => queue.close(),
          (error: unknown) => queue.close({ error }),
        );
        yield* queue;
      },
    },
    stream: {
      async subscribeStream(req, hctx) {
        const h = handlers.subscribeStream ?? unimplemented("SubscribeStream");
        return withContext("subscribeStream", req.pluginContext, req.headers, hctx, async (ctx) => {
          const result = await h(streamRequest(req), ctx);
          return { status: result.status, data: jsonPayload(result.data) };
        });
      },
      async publishStream(req, hctx) {
        const h = handlers.publishStream ?? unimplemented("PublishStream");
        return withContext("publishStream", req.pluginContext, req.headers, hctx, async (ctx) => {
          const result = await h(streamRequest(req), ctx);
          return { status: result.status, data: jsonPayload(result.data) };
        });
      },
      async *runStream(req, hctx) {
        const h = handlers.runStream ?? unimplemented("RunStream");
        const queue = new AsyncQueue<{ data: Uint8Array }>();
        const run = withContext("runStream", req.pluginContext, req.headers, hctx, async (ctx) => {
          await h(
            streamRequest(req),
            {
              sendFrame: (frame, include = "all") =>
                queue.push({ data: encodeFrame(frame, "json", { include }) }),
              sendJSON: (value) => queue.push({ data: encoder.encode(JSON.stringify(value)) }),
              sendBytes: (bytes) => queue.push({ data: bytes }),
            },
            ctx,
          );
        });
        run.then(
          () => queue.close(),
          (error: unknown) => queue.close({ error }),
        );
        yield* queue;
      },
    },
    admission: {
      async validateAdmission(req, hctx) {
        const h = handlers.validateAdmission ?? unimplemented("ValidateAdmission");
        return withContext("validateAdmission", req.pluginContext, {}, hctx, (ctx) =>
          Promise.resolve(h(req, ctx)),
        );
      },
      async mutateAdmission(req, hctx) {
        const h = handlers.mutateAdmission ?? unimplemented("MutateAdmission");
        return withContext("mutateAdmission", req.pluginContext, {}, hctx, (ctx) =>
          Promise.resolve(h(req, ctx)),
        );
      },
    },
    conversion: {
      async convertObjects(req, hctx) {
        const h = handlers.convertObjects ?? unimplemented("ConvertObjects");
        return withContext("convertObjects", req.pluginContext, {}, hctx, (ctx) =>
          Promise.resolve(h(req, ctx)),
        );
      },
    },
  };

  const entries = (Object.keys(pluginServices) as (keyof typeof pluginServices)[]).map((key) => ({
    service: pluginServices[key] as DescService,
    impl: impls[key] as unknown as ServiceImpl<DescService>,
  }));
  return { impls, entries, close: async () => instances?.disposeAll() };
}

/** Registers a plugin's services on a Connect router. */
export function registerPlugin(router: ConnectRouter, services: PluginServices): ConnectRouter {
  for (const { service, impl } of services.entries) router.service(service, impl);
  return router;
}

/** A query of a request, parsed once: the query, or why it could not be parsed. */
interface ParsedQuery {
  message: DataQueryMessage;
  query?: DataQuery;
  error?: unknown;
}

function parseQueries(messages: DataQueryMessage[]): ParsedQuery[] {
  return messages.map((message) => {
    try {
      return { message, query: parseDataQuery(message) };
    } catch (error) {
      return { message, error };
    }
  });
}

/** The queries that parsed, as handlers see them in `context.queries`. */
function parsedOnly(entries: ParsedQuery[]): DataQuery[] {
  return entries.flatMap((e) => (e.query ? [e.query] : []));
}

/** A QueryData call counts as failed when any of its queries failed, as the Go SDK counts it. */
function queryOutcome(result: { responses: Record<string, MessageInitShape<typeof DataResponseSchema>> }): {
  error: boolean;
  source: ErrorSource | "";
} {
  for (const response of Object.values(result.responses)) {
    if (response.error) return { error: true, source: (response.errorSource as ErrorSource) || "plugin" };
  }
  return { error: false, source: "" };
}

function queryTypeHandler(
  queryData: PluginHandlers<unknown, unknown, unknown>["queryData"],
  queryType: string,
): QueryHandler<unknown, unknown, unknown, unknown> {
  const byType = queryData as Record<string, QueryHandler<unknown, unknown, unknown, unknown>>;
  const h = Object.hasOwn(byType, queryType) ? byType[queryType] : undefined;
  if (!h) throw new PluginError(`unknown queryType "${queryType}"`, { status: 400 });
  return h;
}

function normalizeResult(result: DataResult | DataResult["frames"]): DataResult {
  if (Array.isArray(result)) return { frames: result };
  if (result === null || typeof result !== "object") {
    throw new PluginError("a query handler must return frames or a DataResult");
  }
  return result;
}

function streamRequest(req: { path: string; data: Uint8Array }): StreamRequest {
  let data: unknown;
  if (req.data.length > 0) {
    try {
      data = JSON.parse(decoder.decode(req.data));
    } catch (error) {
      throw new PluginError(`stream data is not valid JSON: ${(error as Error).message}`, { status: 400 });
    }
  }
  return { path: req.path, data, rawData: req.data };
}

function jsonPayload(data: unknown): Uint8Array {
  if (data === undefined) return emptyBytes;
  if (data instanceof Uint8Array) return data;
  if (
    data !== null &&
    typeof data === "object" &&
    typeof (data as { encode?: unknown }).encode === "function"
  ) {
    return encodeFrame(data as Parameters<typeof encodeFrame>[0], "json");
  }
  return encoder.encode(JSON.stringify(data));
}

/** A signal aborted by the call or by plugin shutdown. */
function callSignal(call: AbortSignal, shutdown: AbortSignal | undefined): AbortSignal {
  return shutdown ? AbortSignal.any([call, shutdown]) : call;
}

/**
 * A gRPC error for a whole-request failure. Tagged errors use code UNKNOWN with a
 * `google.rpc.ErrorInfo` detail holding `errorSource`, which Grafana reads for its SLOs.
 */
export function toConnectError(error: unknown, signal?: AbortSignal): ConnectError {
  if (error instanceof ConnectError) return error;
  if (signal?.aborted && !(error instanceof PluginError)) return abortError(signal, error);
  const { source } = classifyError(error);
  return new ConnectError(
    errorMessage(error),
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

async function forEachConcurrent<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
