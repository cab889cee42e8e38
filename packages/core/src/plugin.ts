import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DataQuery } from "./data-query.js";
import type { EncodableFrame, FrameFormat, FrameLike } from "./encodable-frame.js";
import type {
  AdmissionRequest,
  CheckHealthResponse_HealthStatus,
  ConversionRequest,
  ConversionResponseSchema,
  MutationResponseSchema,
  PublishStreamResponse_Status,
  SubscribeStreamResponse_Status,
  User,
  ValidationResponseSchema,
} from "./gen/pluginv2/backend_pb.js";
import type { Logger } from "./logger.js";
import type { JsonObject, PluginContext } from "./plugin-context.js";
import type { ErrorSource } from "./plugin-error.js";
import type { ResourceRoutes } from "./resource-router.js";
import type { InferSchema, Schema } from "./schema.js";
import type { StreamSender } from "./stream-sender.js";

type Awaitable<T> = T | Promise<T>;

/** `jsonData` without a schema: the parsed JSON object. */
export type DefaultJsonData = JsonObject;
/** `secureJsonData` without a schema: the decrypted values by key. */
export type DefaultSecureJsonData = Record<string, string>;

/** What `createInstance` gets: the call's plugin context and its validated settings. */
export interface InstanceSettings<JsonData = DefaultJsonData, SecureJsonData = DefaultSecureJsonData> {
  pluginContext: PluginContext<JsonData, SecureJsonData>;
  /** The validated `jsonData` of the data source or app of this call; `{}` when it has none. */
  jsonData: JsonData;
  /** The validated, decrypted secure settings; `{}` when there are none. */
  secureJsonData: SecureJsonData;
}

/** What every handler gets besides its request: who calls, its settings and instance, cancellation, a logger. */
export interface CallContext<
  JsonData = DefaultJsonData,
  SecureJsonData = DefaultSecureJsonData,
  Instance = undefined,
> extends InstanceSettings<JsonData, SecureJsonData> {
  /** The request's `headers` map (forwarded HTTP headers are `http_<Name>`); empty where the RPC has none. */
  headers: Record<string, string>;
  /** Aborted when the caller cancels, its deadline passes, or the plugin shuts down. */
  signal: AbortSignal;
  /** A logger with the plugin id, endpoint and data source attached; it masks this plugin's secrets. */
  logger: Logger;
  /** What `createInstance` returned for these settings; undefined without `createInstance`. */
  instance: Instance;
}

/** The context of a query: the call's, plus the whole request it came in. */
export interface QueryContext<
  JsonData = DefaultJsonData,
  SecureJsonData = DefaultSecureJsonData,
  Instance = undefined,
> extends CallContext<JsonData, SecureJsonData, Instance> {
  /** The frame format Grafana asked for; frames are encoded in it for you. */
  format: FrameFormat;
  /** Every query of the request that parsed (models not validated). */
  queries: readonly DataQuery[];
}

/** The context of a resource call: the call's, plus the path, URL and user Grafana sent. */
export interface ResourceContext<
  JsonData = DefaultJsonData,
  SecureJsonData = DefaultSecureJsonData,
  Instance = undefined,
> extends CallContext<JsonData, SecureJsonData, Instance> {
  /** The sub-path after `/resources/`, as sent. */
  path: string;
  /** The URL Grafana received, with query string, parsed (against `http://grafana-plugin.invalid`). */
  url: URL;
  /** The URL Grafana received, as sent. */
  rawUrl: string;
  /** The signed-in user; undefined for requests Grafana makes on its own behalf. */
  user: User | undefined;
  /** The route's path parameters; `{}` for the fallback `callResource`. */
  params: Record<string, string>;
}

/** What a query handler answers: frames, or an error for this query only. */
export interface DataResult {
  frames?: FrameLike[];
  /** An error message; marks this query as failed. */
  error?: string;
  /** HTTP status; 200 without error, 500 with one, unless given. */
  status?: number;
  /** Who caused `error`; default `"plugin"`. */
  errorSource?: ErrorSource;
}

/**
 * What a per-query handler answers: frames, a {@link DataResult}, or an async iterable of frames
 * (an async generator), which QueryChunkedData streams frame by frame and QueryData collects.
 */
export type QueryResult = FrameLike[] | DataResult | AsyncIterable<FrameLike>;

/** Answers by refId, as batch and whole-request query handlers return them. */
export type QueryResults = Record<string, FrameLike[] | DataResult>;

/** Answers one query. Throwing fails this query only (a PluginError sets status and source). */
export type QueryHandler<Model = JsonObject, Context = QueryContext> = (
  query: DataQuery<Model>,
  context: Context,
) => Awaitable<QueryResult>;

/**
 * Answers several queries at once (a batch of one queryType, or the whole request), by refId. A
 * refId missing from the answer is a 500 plugin error for that query; throwing fails them all.
 */
export type QueriesHandler<Model = JsonObject, Context = QueryContext> = (
  queries: DataQuery<Model>[],
  context: Context,
) => Awaitable<QueryResults>;

/**
 * One query type: its model schema (a Standard Schema, `typed<T>()`, or none for a JSON object)
 * and exactly one of `query` (called per query) or `queries` (called once with every valid query
 * of this type in the request, to batch them into one downstream call).
 */
export interface QueryTypeDefinition<ModelSchema = undefined, Context = QueryContext> {
  model?: ModelSchema;
  query?: QueryHandler<InferSchema<ModelSchema, JsonObject>, Context>;
  queries?: QueriesHandler<InferSchema<ModelSchema, JsonObject>, Context>;
}

/** The result of a health check. */
export interface HealthResult {
  status: CheckHealthResponse_HealthStatus;
  message?: string;
  /** Extra details Grafana shows; serialized as JSON. */
  jsonDetails?: unknown;
  /** Who caused an ERROR status (v0.300.0 `CheckHealthResponse.errorSource`); default none. */
  errorSource?: ErrorSource;
}

/** A Grafana Live stream request: the channel path and its JSON data. */
export interface StreamRequest {
  path: string;
  /** `data` parsed as JSON; undefined when empty. */
  data: unknown;
  /** `data` as sent. */
  rawData: Uint8Array;
}

/** Answer to a subscription. */
export interface SubscribeResult {
  status: SubscribeStreamResponse_Status;
  /** Sent to the subscriber first: a frame (as frame JSON, schema and data) or a JSON value. */
  initialData?: EncodableFrame | unknown;
}

/** Answer to a publication. `data` is JSON to publish; none publishes nothing. */
export interface PublishResult {
  status: PublishStreamResponse_Status;
  data?: unknown;
}

/** Writes the chunks of a QueryChunkedData response. */
export interface ChunkedDataWriter {
  /**
   * Writes a frame of query `refId`. The first chunk of a `frameId` carries schema and data in
   * JSON, later ones data only; in Arrow each chunk is one Arrow IPC file. Resolves once the
   * transport has taken the chunk (backpressure).
   */
  writeFrame(refId: string, frameId: string, frame: FrameLike): Promise<void>;
  /** Writes an error for query `refId` with an HTTP status; a PluginError's source is kept. */
  writeError(refId: string, status: number, error: string | Error): Promise<void>;
}

/** Answers a whole QueryChunkedData request by writing chunks. Throwing fails every query not yet answered. */
export type ChunkedQueryHandler<Context = QueryContext> = (
  queries: DataQuery[],
  writer: ChunkedDataWriter,
  context: Context,
) => Awaitable<void>;

/** The settings types of a definition, from its schemas. */
type JsonDataOf<JD> = InferSchema<JD, DefaultJsonData>;
type SecureOf<SD> = InferSchema<SD, DefaultSecureJsonData>;

/**
 * Everything a plugin declares, all optional. An absent handler answers UNIMPLEMENTED, which
 * Grafana shows as "not implemented". Types come from the schemas and from `createInstance`'s
 * return type; declare `createInstance` before the handlers that use `ctx.instance`.
 */
export interface PluginDefinition<
  JD = undefined,
  SD = undefined,
  I = undefined,
  QT = Record<string, unknown>,
  R = Record<string, unknown>,
> {
  /** `jsonData`'s schema (Standard Schema or `typed<T>()`). Absent: any JSON object. */
  jsonData?: JD;
  /** `secureJsonData`'s schema. Absent: `Record<string, string>`. */
  secureJsonData?: SD;
  /** Builds the per-settings instance handed to handlers as `ctx.instance`. */
  createInstance?: (settings: InstanceSettings<JsonDataOf<JD>, SecureOf<SD>>) => Awaitable<I>;
  /** Releases an instance once its settings changed or it was idle, and its calls finished. */
  disposeInstance?: (instance: I) => Awaitable<void>;
  /** Idle instances (no call for this long, in ms) are disposed and rebuilt on the next call. Default 1 h. */
  instanceIdleTtlMs?: number;
  /** Most queries (or batches) to run at once in one request. Default 10. */
  queryConcurrency?: number;

  checkHealth?: (context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>) => Awaitable<HealthResult>;
  /** Prometheus text exposition of the plugin's metrics. */
  collectMetrics?: (context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>) => Awaitable<string | Uint8Array>;

  /** Per-query handlers routed by `queryType`, each with its model schema. */
  queryTypes?: {
    [K in keyof QT]: QueryTypeDefinition<QT[K], QueryContext<JsonDataOf<JD>, SecureOf<SD>, I>>;
  };
  /** Answers queries whose type is not in `queryTypes` (or every query, without `queryTypes`). */
  query?: QueryHandler<JsonObject, QueryContext<JsonDataOf<JD>, SecureOf<SD>, I>>;
  /** A whole-request handler; exclusive with `queryTypes` and `query`. */
  queryData?: QueriesHandler<JsonObject, QueryContext<JsonDataOf<JD>, SecureOf<SD>, I>>;
  /** Answers QueryChunkedData (and QueryData, its chunks joined) for the whole request. */
  queryChunkedData?: ChunkedQueryHandler<QueryContext<JsonDataOf<JD>, SecureOf<SD>, I>>;

  /**
   * Resource routes: `"METHOD /pattern"` keys (URLPattern pathname syntax: `:param`, `*`), params
   * typed from the pattern. Unmatched paths answer 404, a path matched with another method 405.
   */
  routes?: ResourceRoutes<ResourceContext<JsonDataOf<JD>, SecureOf<SD>, I>, R>;
  /** A web `Request` in, a web `Response` out: the fallback for paths the routes do not match. */
  callResource?: (
    request: Request,
    context: ResourceContext<JsonDataOf<JD>, SecureOf<SD>, I>,
  ) => Awaitable<Response>;

  subscribeStream?: (
    request: StreamRequest,
    context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>,
  ) => Awaitable<SubscribeResult>;
  /** Runs until the stream is cancelled (`context.signal`) or the handler returns. */
  runStream?: (
    request: StreamRequest,
    sender: StreamSender,
    context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>,
  ) => Awaitable<void>;
  publishStream?: (
    request: StreamRequest,
    context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>,
  ) => Awaitable<PublishResult>;
  validateAdmission?: (
    request: AdmissionRequest,
    context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>,
  ) => Awaitable<MessageInitShape<typeof ValidationResponseSchema>>;
  mutateAdmission?: (
    request: AdmissionRequest,
    context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>,
  ) => Awaitable<MessageInitShape<typeof MutationResponseSchema>>;
  convertObjects?: (
    request: ConversionRequest,
    context: CallContext<JsonDataOf<JD>, SecureOf<SD>, I>,
  ) => Awaitable<MessageInitShape<typeof ConversionResponseSchema>>;
}

/**
 * A definition with its types erased, as the service layer runs it (settings are parsed JSON like
 * any other at run time).
 */
// biome-ignore lint/suspicious/noExplicitAny: the erased form accepts every definition.
export type PluginHandlers = PluginDefinition<any, any, any, Record<string, any>, Record<string, any>>;

/**
 * A plugin, as {@link definePlugin} returns it. Serve it with any adapter. The type parameters
 * only carry the settings and instance types for tests and tools; nobody spells them.
 */
export interface Plugin<JsonData = unknown, SecureJsonData = unknown, Instance = unknown> {
  readonly kind: "gfsdk-plugin";
  /** The definition as given, checked. */
  readonly handlers: PluginHandlers;
  /** Types only; never set. */
  readonly types?: { jsonData: JsonData; secureJsonData: SecureJsonData; instance: Instance };
}

const queryTypeKeys = new Set(["model", "query", "queries"]);

/**
 * Declares a plugin. Every type is inferred: settings from the `jsonData`/`secureJsonData`
 * schemas, each query model from its `model` schema, `ctx.instance` from `createInstance`'s return
 * type, route params from the route patterns. Throws a TypeError for a definition that cannot be
 * served: `queryData` together with `queryTypes` or `query`, a query type with neither or both of
 * `query` and `queries`, a schema that is not a Standard Schema.
 */
export function definePlugin<
  JD extends Schema | undefined = undefined,
  SD extends Schema | undefined = undefined,
  I = undefined,
  QT extends Record<string, unknown> = Record<never, never>,
  R = Record<never, never>,
>(definition: PluginDefinition<JD, SD, I, QT, R>): Plugin<JsonDataOf<JD>, SecureOf<SD>, I> {
  const d = definition as PluginHandlers;
  if (d === null || typeof d !== "object") throw new TypeError("definePlugin needs an object of handlers");
  if (d.queryData && (d.queryTypes || d.query)) {
    throw new TypeError(
      "definePlugin: `queryData` answers the whole request, so it cannot be combined with `queryTypes` or `query`",
    );
  }
  for (const key of ["jsonData", "secureJsonData"] as const) {
    if (d[key] !== undefined && !isStandardSchema(d[key])) {
      throw new TypeError(
        `definePlugin: \`${key}\` must be a Standard Schema (zod, valibot, arktype...) or typed<T>()`,
      );
    }
  }
  for (const [queryType, entry] of Object.entries(d.queryTypes ?? {})) {
    const e = entry as { model?: unknown; query?: unknown; queries?: unknown } | null;
    if (e === null || typeof e !== "object") {
      throw new TypeError(
        `definePlugin: queryTypes["${queryType}"] must be an object with \`query\` or \`queries\``,
      );
    }
    const unknownKeys = Object.keys(e).filter((k) => !queryTypeKeys.has(k));
    if (unknownKeys.length > 0) {
      throw new TypeError(
        `definePlugin: queryTypes["${queryType}"] has unknown keys ${unknownKeys.join(", ")}`,
      );
    }
    if ((typeof e.query === "function") === (typeof e.queries === "function")) {
      throw new TypeError(
        `definePlugin: queryTypes["${queryType}"] needs exactly one of \`query\` and \`queries\``,
      );
    }
    if (e.model !== undefined && !isStandardSchema(e.model)) {
      throw new TypeError(
        `definePlugin: queryTypes["${queryType}"].model must be a Standard Schema or typed<T>()`,
      );
    }
  }
  return { kind: "gfsdk-plugin", handlers: d };
}

function isStandardSchema(value: unknown): boolean {
  const standard = (value as { "~standard"?: { validate?: unknown } } | null)?.["~standard"];
  return typeof standard === "object" && standard !== null && typeof standard.validate === "function";
}
