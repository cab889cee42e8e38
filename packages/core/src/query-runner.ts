import type { DataQuery } from "./data-query.js";
import type { FrameLike } from "./encodable-frame.js";
import type {
  ChunkedDataWriter,
  DataResult,
  PluginHandlers,
  QueriesHandler,
  QueryContext,
  QueryHandler,
  QueryResult,
  QueryResults,
} from "./plugin.js";
import {
  checkedHttpStatus,
  classifyError,
  type ErrorSource,
  errorMessage,
  PluginError,
} from "./plugin-error.js";
import type { Schema } from "./schema.js";
import { validateWithSchema } from "./schema.js";

/** A query of a request, parsed once: the query, or why it could not be parsed. @private */
export interface ParsedQuery {
  refId: string;
  query?: DataQuery;
  error?: unknown;
}

/**
 * Where the answers of a request's queries go: QueryData collects them into one response per
 * refId, QueryChunkedData sends each as a chunk. Every method resolves once the answer is taken
 * (for chunks: once the transport has taken them). @private Internal code.
 */
export interface QuerySink {
  /** One frame of `refId`; `frameId` groups chunks of one frame (chunked answers only). */
  frame(refId: string, frameId: string, frame: FrameLike): Promise<void>;
  /** `refId` failed with `message`; with an empty message, only its status is set. */
  error(refId: string, status: number, message: unknown, source: ErrorSource): Promise<void>;
  /** Whether anything was answered for `refId` yet. */
  answered(refId: string): boolean;
  /** `refId`'s handler finished; a query it answered with nothing still gets an (empty) answer. */
  done(refId: string): Promise<void>;
}

/** What the runner needs besides the handlers. @private */
export interface QueryRunOptions {
  /** Most jobs (queries or batches) at once. */
  concurrency: number;
  /** The context handlers get. */
  context: QueryContext<unknown, unknown, unknown>;
  /** How to name a failure in the debug log. */
  logFailure(refId: string, error: unknown): void;
}

type AnyQueryHandler = QueryHandler<unknown, QueryContext<unknown, unknown, unknown>>;
type AnyQueriesHandler = QueriesHandler<unknown, QueryContext<unknown, unknown, unknown>>;

/** Whether a definition answers queries one by one or per request (anything but `queryChunkedData`). */
export function hasQueryHandlers(handlers: PluginHandlers): boolean {
  return Boolean(handlers.queryData || handlers.query || handlers.queryTypes);
}

/** Answers `refId` with an error, as its status and source classify it, and logs it at debug. */
function queryFailer(
  sink: QuerySink,
  options: QueryRunOptions,
): (refId: string, error: unknown) => Promise<void> {
  return async (refId, error) => {
    options.logFailure(refId, error);
    const { status, source } = classifyError(error, options.context.signal);
    // An error without a message still fails its query, with a message saying so.
    await sink.error(refId, status, errorMessage(error) === "" ? "query failed" : error, source);
  };
}

/** The queries that parsed; each one that did not is answered with its error by `fail`. */
async function validQueries(
  parsed: ParsedQuery[],
  fail: (refId: string, error: unknown) => Promise<void>,
): Promise<DataQuery[]> {
  const valid: DataQuery[] = [];
  for (const entry of parsed) {
    if (entry.query) valid.push(entry.query);
    else await fail(entry.refId, entry.error);
  }
  return valid;
}

/**
 * Runs the per-query, per-type batch or whole-request handlers of a definition for `parsed`,
 * writing every answer to `sink`. Each refId gets an answer: frames, its handler's error, a 400
 * for an unknown queryType or an invalid model, a 500 when a batch handler left it out.
 * @private Internal code.
 */
export async function runQueryHandlers(
  handlers: PluginHandlers,
  parsed: ParsedQuery[],
  sink: QuerySink,
  options: QueryRunOptions,
): Promise<void> {
  const ctx = options.context;
  const fail = queryFailer(sink, options);
  const valid = await validQueries(parsed, fail);

  if (handlers.queryData) {
    const whole = handlers.queryData as AnyQueriesHandler;
    await runBatch(whole, valid, "queryData", sink, ctx, fail);
    return;
  }

  const jobs: (() => Promise<void>)[] = [];
  const batches = new Map<string, { handler: AnyQueriesHandler; queries: DataQuery[] }>();
  const types = (handlers.queryTypes ?? {}) as Record<
    string,
    { model?: Schema; query?: AnyQueryHandler; queries?: AnyQueriesHandler }
  >;
  // Models are validated inside the jobs, so an async validator runs under the concurrency cap too.
  const withModel = async (query: DataQuery, model: Schema | undefined): Promise<DataQuery> => {
    if (!model) return query;
    const value = await validateWithSchema(
      model,
      query.model,
      `invalid query model for refId "${query.refId}"`,
    );
    return { ...query, model: value as DataQuery["model"] };
  };
  const batchQueries: { queryType: string; query: DataQuery; model: Schema | undefined }[] = [];
  for (const query of valid) {
    const def = Object.hasOwn(types, query.queryType) ? types[query.queryType] : undefined;
    if (def?.queries) {
      batchQueries.push({ queryType: query.queryType, query, model: def.model });
      continue;
    }
    const handler = def?.query ?? (handlers.query as AnyQueryHandler | undefined);
    const model = def?.query ? def.model : undefined;
    jobs.push(async () => {
      try {
        if (!handler) throw new PluginError(`unknown queryType "${query.queryType}"`, { status: 400 });
        const result = await handler(await withModel(query, model), ctx);
        await writeQueryResult(query.refId, result, sink);
      } catch (error) {
        await fail(query.refId, error);
      }
    });
  }
  if (batchQueries.length > 0) {
    // Each batch handler gets the queries of its type whose model is valid; the others fail alone.
    await forEachConcurrent(batchQueries, options.concurrency, async ({ queryType, query, model }) => {
      try {
        const checked = await withModel(query, model);
        let batch = batches.get(queryType);
        if (!batch) {
          batch = { handler: types[queryType]?.queries as AnyQueriesHandler, queries: [] };
          batches.set(queryType, batch);
        }
        batch.queries.push(checked);
      } catch (error) {
        await fail(query.refId, error);
      }
    });
    for (const [queryType, batch] of batches) {
      // Request order, whatever order the validators finished in.
      const order = new Map(valid.map((q, i) => [q.refId, i]));
      batch.queries.sort((a, b) => (order.get(a.refId) ?? 0) - (order.get(b.refId) ?? 0));
      jobs.push(() =>
        runBatch(batch.handler, batch.queries, `queryTypes["${queryType}"].queries`, sink, ctx, fail),
      );
    }
  }
  await forEachConcurrent(jobs, options.concurrency, (job) => job());
}

/** Runs a handler of several queries and writes its answers by refId. */
async function runBatch(
  handler: AnyQueriesHandler,
  queries: DataQuery[],
  what: string,
  sink: QuerySink,
  ctx: QueryContext<unknown, unknown, unknown>,
  fail: (refId: string, error: unknown) => Promise<void>,
): Promise<void> {
  if (queries.length === 0) return;
  let results: QueryResults;
  try {
    results = await handler(queries, ctx);
    if (results === null || typeof results !== "object" || Array.isArray(results)) {
      throw new PluginError(`${what} must return an object of results by refId`);
    }
  } catch (error) {
    for (const query of queries) await fail(query.refId, error);
    return;
  }
  const refIds = new Set(queries.map((q) => q.refId));
  for (const refId of new Set([...refIds, ...Object.keys(results)])) {
    try {
      if (!Object.hasOwn(results, refId)) {
        throw new PluginError(`${what} returned no result for refId "${refId}"`);
      }
      await writeQueryResult(refId, results[refId] as QueryResult, sink);
    } catch (error) {
      await fail(refId, error);
    }
  }
}

/** The frameId of the `index`th frame of `refId` in a chunked answer: its name, or `${refId}-${index}`. */
export function frameIdOf(frame: FrameLike, refId: string, index: number): string {
  const name = frame instanceof Uint8Array ? undefined : frame.name;
  return typeof name === "string" && name !== "" ? name : `${refId}-${index}`;
}

/** Writes what a query handler answered: frames, a DataResult, or the frames of an async iterable. */
export async function writeQueryResult(refId: string, result: QueryResult, sink: QuerySink): Promise<void> {
  if (result !== null && typeof result === "object" && Symbol.asyncIterator in result) {
    let index = 0;
    for await (const frame of result as AsyncIterable<FrameLike>) {
      await sink.frame(refId, frameIdOf(frame, refId, index), frame);
      index++;
    }
    await sink.done(refId);
    return;
  }
  const data = normalizeResult(result as DataResult | FrameLike[]);
  const frames = data.frames ?? [];
  for (let i = 0; i < frames.length; i++)
    await sink.frame(refId, frameIdOf(frames[i] as FrameLike, refId, i), frames[i] as FrameLike);
  if (data.error || data.status !== undefined) {
    const status = checkedHttpStatus(data.status ?? (data.error ? 500 : 200), "the query handler's status");
    await sink.error(refId, status, data.error ?? "", data.error ? (data.errorSource ?? "plugin") : "plugin");
  }
  await sink.done(refId);
}

function normalizeResult(result: DataResult | FrameLike[]): DataResult {
  if (Array.isArray(result)) return { frames: result };
  if (result === null || typeof result !== "object") {
    throw new PluginError("a query handler must return frames, a DataResult or an async iterable of frames");
  }
  return result;
}

/**
 * Runs a `queryChunkedData` handler, its writer writing to `sink`. Queries that did not parse fail
 * first; when the handler throws, every query not answered yet fails with its error.
 * @private Internal code.
 */
export async function runChunkedHandler(
  handlers: PluginHandlers,
  parsed: ParsedQuery[],
  sink: QuerySink,
  options: QueryRunOptions,
): Promise<void> {
  const ctx = options.context;
  const handler = handlers.queryChunkedData as NonNullable<PluginHandlers["queryChunkedData"]>;
  const fail = queryFailer(sink, options);
  const valid = await validQueries(parsed, fail);
  if (valid.length === 0) return;
  const writer: ChunkedDataWriter = {
    writeFrame: (refId, frameId, frame) => sink.frame(String(refId), String(frameId), frame),
    writeError: (refId, status, error) => {
      const checked = checkedHttpStatus(status, "writeError's status");
      const source = error instanceof PluginError ? error.source : "plugin";
      return sink.error(String(refId), checked, errorMessage(error) === "" ? "query failed" : error, source);
    },
  };
  try {
    await handler(valid, writer, ctx);
  } catch (error) {
    // Queries it answered already keep their answer; the others get the error.
    const unanswered = valid.filter((q) => !sink.answered(q.refId));
    if (unanswered.length === 0) options.logFailure("*", error);
    for (const query of unanswered) await fail(query.refId, error);
  }
}

/** Runs `fn` over `items`, at most `limit` at once, in order of start. @private */
export async function forEachConcurrent<T>(
  items: readonly T[],
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
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
