import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { type CallScope, unimplemented } from "./call-scope.js";
import { parseDataQuery } from "./data-query.js";
import type { FrameFormat } from "./encodable-frame.js";
import {
  type Data,
  DataFrameFormat,
  type DataQuery as DataQueryMessage,
  type DataResponseSchema,
  type QueryChunkedDataResponseSchema,
} from "./gen/pluginv2/backend_pb.js";
import type { CallContext, PluginHandlers, QueryContext } from "./plugin.js";
import type { ErrorSource } from "./plugin-error.js";
import {
  hasQueryHandlers,
  type ParsedQuery,
  type QuerySink,
  runChunkedHandler,
  runQueryHandlers,
} from "./query-runner.js";
import { createChunkSink, createCollectingSink } from "./query-sinks.js";
import { serverStream } from "./server-stream.js";

type DataResponseInit = MessageInitShape<typeof DataResponseSchema>;
type ChunkInit = MessageInitShape<typeof QueryChunkedDataResponseSchema>;

/**
 * The Data service. QueryData runs the per-query, per-type batch or whole-request handlers, or,
 * for a plugin with only `queryChunkedData`, that handler with its chunks joined by frameId.
 * QueryChunkedData runs `queryChunkedData`, or sends each frame the other handlers answer as a
 * chunk. One failing query does not fail the others; invalid settings fail each query with a 400.
 * @private Internal code.
 */
export function createDataService(scope: CallScope, handlers: PluginHandlers): ServiceImpl<typeof Data> {
  const concurrency = Math.max(1, handlers.queryConcurrency ?? 10);

  /** Parses the request's queries and runs the handlers that answer them into `sink`. */
  const answer = async (
    messages: DataQueryMessage[],
    format: DataFrameFormat,
    ctx: CallContext<unknown, unknown, unknown>,
    sink: QuerySink,
    chunked: boolean,
  ) => {
    const parsed = parseQueries(messages);
    const context: QueryContext<unknown, unknown, unknown> = {
      ...ctx,
      format: frameFormatOf(format),
      queries: parsed.flatMap((e) => (e.query ? [e.query] : [])),
    };
    const options = {
      concurrency,
      context,
      logFailure: (refId: string, error: unknown) => ctx.logger.debug("Query failed", { refId, error }),
    };
    const useChunked = chunked ? Boolean(handlers.queryChunkedData) : !hasQueryHandlers(handlers);
    if (useChunked) await runChunkedHandler(handlers, parsed, sink, options);
    else await runQueryHandlers(handlers, parsed, sink, options);
  };

  const invalidSettingsAnswer = (
    messages: DataQueryMessage[],
    format: DataFrameFormat,
    error: unknown,
    source: ErrorSource,
  ) => {
    const responses: Record<string, DataResponseInit> = {};
    for (const m of messages) {
      responses[m.refId] = { error: scope.message(error), status: 400, errorSource: source, format };
    }
    return { responses };
  };

  return {
    async queryData(req, hctx) {
      if (!hasQueryHandlers(handlers) && !handlers.queryChunkedData) unimplemented("QueryData");
      return scope.run(
        "queryData",
        req.pluginContext,
        req.headers,
        hctx,
        async (ctx) => {
          const sink = createCollectingSink(
            req.queries.map((m) => m.refId),
            req.format,
            frameFormatOf(req.format),
            scope.redactor,
            !hasQueryHandlers(handlers),
          );
          await answer(req.queries, req.format, ctx, sink, false);
          return { responses: sink.responses() };
        },
        {
          outcome: queryOutcome,
          onInvalidSettings: (error) => invalidSettingsAnswer(req.queries, req.format, error, error.source),
        },
      );
    },
    async *queryChunkedData(req, hctx) {
      if (!hasQueryHandlers(handlers) && !handlers.queryChunkedData) unimplemented("QueryChunkedData");
      yield* serverStream<ChunkInit>((push) =>
        scope.run(
          "queryChunkedData",
          req.pluginContext,
          req.headers,
          hctx,
          async (ctx) => {
            const sink = createChunkSink(push, req.format, frameFormatOf(req.format), scope.redactor);
            await answer(req.queries, req.format, ctx, sink, true);
          },
          {
            // Each query gets the error as its one chunk, as QueryData answers each with it.
            onInvalidSettings: async (error) => {
              for (const m of req.queries) {
                await push({
                  refId: m.refId,
                  error: scope.message(error),
                  status: 400,
                  errorSource: error.source,
                  format: req.format,
                });
              }
            },
          },
        ),
      );
    },
  };
}

function frameFormatOf(format: DataFrameFormat): FrameFormat {
  return format === DataFrameFormat.JSON ? "json" : "arrow";
}

function parseQueries(messages: DataQueryMessage[]): ParsedQuery[] {
  return messages.map((message) => {
    try {
      return { refId: message.refId, query: parseDataQuery(message) };
    } catch (error) {
      return { refId: message.refId, error };
    }
  });
}

/** A QueryData call counts as failed when any of its queries failed, as the Go SDK counts it. */
function queryOutcome(result: { responses: Record<string, DataResponseInit> }): {
  error: boolean;
  source: ErrorSource | "";
} {
  for (const response of Object.values(result.responses)) {
    if (response.error) return { error: true, source: (response.errorSource as ErrorSource) || "plugin" };
  }
  return { error: false, source: "" };
}
