import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DataQuery } from "./data-query.js";
import type { EncodableFrame, FrameFormat, FrameInclude, FrameLike } from "./encodable-frame.js";
import type {
  AdmissionRequest,
  CheckHealthResponse_HealthStatus,
  ConversionRequest,
  ConversionResponseSchema,
  MutationResponseSchema,
  PublishStreamResponse_Status,
  SubscribeStreamResponse_Status,
  ValidationResponseSchema,
} from "./gen/pluginv2/backend_pb.js";
import type { Logger } from "./logger.js";
import type { JsonObject, PluginContext } from "./plugin-context.js";
import type { ErrorSource } from "./plugin-error.js";

/** What every handler gets besides its request: who calls, cancellation, a logger. */
export interface CallContext<
  JsonData = JsonObject,
  SecureJsonData = Record<string, string>,
  Instance = undefined,
> {
  pluginContext: PluginContext<JsonData, SecureJsonData>;
  /** The request's `headers` map (forwarded HTTP headers are `http_<Name>`); empty where the RPC has none. */
  headers: Record<string, string>;
  /** Aborted when the caller cancels, its deadline passes, or the plugin shuts down. */
  signal: AbortSignal;
  /** A logger with the plugin id, endpoint and data source attached. */
  logger: Logger;
  /** The instance `createInstance` made for these settings; undefined without `createInstance`. */
  instance: Instance;
}

/** The context of a query: the call's, plus the whole request it came in. */
export interface QueryContext<
  JsonData = JsonObject,
  SecureJsonData = Record<string, string>,
  Instance = undefined,
> extends CallContext<JsonData, SecureJsonData, Instance> {
  /** The frame format Grafana asked for; frames are encoded in it for you. */
  format: FrameFormat;
  /** Every query of the request, parsed. */
  queries: readonly DataQuery[];
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

/** Answers one query. Throwing fails this query only (a PluginError sets status and source). */
export type QueryHandler<Model = JsonObject, J = JsonObject, S = Record<string, string>, I = undefined> = (
  query: DataQuery<Model>,
  context: QueryContext<J, S, I>,
) => Promise<DataResult | FrameLike[]> | DataResult | FrameLike[];

/** Query handlers by `queryType`; an unknown type is a 400 plugin error naming it. */
export type QueryTypeHandlers<J = JsonObject, S = Record<string, string>, I = undefined> = {
  // biome-ignore lint/suspicious/noExplicitAny: each query type has its own model type.
  [queryType: string]: QueryHandler<any, J, S, I>;
};

/** The result of a health check. */
export interface HealthResult {
  status: CheckHealthResponse_HealthStatus;
  message?: string;
  /** Extra details Grafana shows; serialized as JSON. */
  jsonDetails?: unknown;
}

/** A Grafana Live stream request: the channel path and its JSON data. */
export interface StreamRequest {
  path: string;
  /** `data` parsed as JSON; undefined when empty. */
  data: unknown;
  /** `data` as sent. */
  rawData: Uint8Array;
}

/** Answer to a subscription. `data` is initial data: JSON, or a frame sent as frame JSON. */
export interface SubscribeResult {
  status: SubscribeStreamResponse_Status;
  data?: unknown;
}

/** Answer to a publication. `data` is JSON to publish; none publishes nothing. */
export interface PublishResult {
  status: PublishStreamResponse_Status;
  data?: unknown;
}

/** Sends packets of a running stream. Each send resolves once the packet is handed to the transport. */
export interface StreamSender {
  /** Sends a frame as frame JSON; `include` defaults to `"all"`. */
  sendFrame(frame: EncodableFrame, include?: FrameInclude): Promise<void>;
  /** Sends a JSON value. */
  sendJSON(value: unknown): Promise<void>;
  /** Sends bytes that already hold JSON. */
  sendBytes(bytes: Uint8Array): Promise<void>;
}

/** Writes the chunks of a chunked query response. */
export interface ChunkedDataWriter {
  /** Writes a frame. Later frames with the same `frameId` carry rows only in JSON. Default frameId: the refId. */
  writeFrame(frame: EncodableFrame, frameId?: string): Promise<void>;
  /** Writes an error for this query. */
  writeError(error: string, options?: { status?: number; source?: ErrorSource }): Promise<void>;
}

/** Answers one query with chunks. Throwing writes one error chunk for this query. */
export type ChunkedQueryHandler<
  Model = JsonObject,
  J = JsonObject,
  S = Record<string, string>,
  I = undefined,
> = (
  query: DataQuery<Model>,
  writer: ChunkedDataWriter,
  context: QueryContext<J, S, I>,
) => Promise<void> | void;

/** The context of a resource call: the call's, plus the raw path and URL Grafana sent. */
export interface ResourceContext<J = JsonObject, S = Record<string, string>, I = undefined>
  extends CallContext<J, S, I> {
  /** The sub-path after `/resources/`, as sent. */
  path: string;
  /** The URL Grafana received, with query string. */
  url: string;
}

type Awaitable<T> = T | Promise<T>;

/**
 * The handlers of a plugin, one per RPC; all optional. An absent handler answers UNIMPLEMENTED,
 * which Grafana shows as "not implemented".
 */
export interface PluginHandlers<J = JsonObject, S = Record<string, string>, I = undefined> {
  /** Builds the per-settings instance handed to handlers as `context.instance`. */
  createInstance?: (pluginContext: PluginContext<J, S>) => Awaitable<I>;
  /** Releases an instance once its settings changed and its calls finished. */
  disposeInstance?: (instance: I) => Awaitable<void>;
  /** Most queries to run at once in one request. Default 10. */
  queryConcurrency?: number;

  checkHealth?: (context: CallContext<J, S, I>) => Awaitable<HealthResult>;
  /** Prometheus text exposition of the plugin's metrics. */
  collectMetrics?: (context: CallContext<J, S, I>) => Awaitable<string | Uint8Array>;
  /** One handler for every query, or one per `queryType`. */
  queryData?: QueryHandler<JsonObject, J, S, I> | QueryTypeHandlers<J, S, I>;
  queryChunkedData?: ChunkedQueryHandler<JsonObject, J, S, I>;
  /** A web `Request` in, a web `Response` out; a streamed body is sent in chunks. */
  callResource?: (request: Request, context: ResourceContext<J, S, I>) => Awaitable<Response>;
  subscribeStream?: (request: StreamRequest, context: CallContext<J, S, I>) => Awaitable<SubscribeResult>;
  /** Runs until the stream is cancelled (`context.signal`) or the handler returns. */
  runStream?: (
    request: StreamRequest,
    sender: StreamSender,
    context: CallContext<J, S, I>,
  ) => Awaitable<void>;
  publishStream?: (request: StreamRequest, context: CallContext<J, S, I>) => Awaitable<PublishResult>;
  validateAdmission?: (
    request: AdmissionRequest,
    context: CallContext<J, S, I>,
  ) => Awaitable<MessageInitShape<typeof ValidationResponseSchema>>;
  mutateAdmission?: (
    request: AdmissionRequest,
    context: CallContext<J, S, I>,
  ) => Awaitable<MessageInitShape<typeof MutationResponseSchema>>;
  convertObjects?: (
    request: ConversionRequest,
    context: CallContext<J, S, I>,
  ) => Awaitable<MessageInitShape<typeof ConversionResponseSchema>>;
}

/** A plugin: its handlers, as {@link definePlugin} returns them. Serve it with any adapter. */
export interface Plugin<J = JsonObject, S = Record<string, string>, I = undefined> {
  readonly kind: "gfsdk-plugin";
  readonly handlers: PluginHandlers<J, S, I>;
}

/**
 * Declares a plugin. `J` types `jsonData`, `S` the decrypted secure settings, `I` the instance
 * that `createInstance` builds.
 */
export function definePlugin<J = JsonObject, S = Record<string, string>, I = undefined>(
  handlers: PluginHandlers<J, S, I>,
): Plugin<J, S, I> {
  return { kind: "gfsdk-plugin", handlers };
}
