import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { type CallScope, unimplemented } from "./call-scope.js";
import { validateChannelPath } from "./channel-path.js";
import { encodeFrame } from "./encodable-frame.js";
import {
  PublishStreamResponse_Status,
  type Stream,
  SubscribeStreamResponse_Status,
} from "./gen/pluginv2/backend_pb.js";
import type { PluginHandlers, StreamRequest } from "./plugin.js";
import { PluginError } from "./plugin-error.js";
import { serverStream } from "./server-stream.js";
import { createStreamSender } from "./stream-sender.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const emptyBytes = new Uint8Array(0);

/**
 * The Stream service (Grafana Live). Channel paths are checked by Grafana's rules inside the call
 * scope, so the call is counted and logged like any other, and before any handler runs: an invalid
 * one answers NOT_FOUND to SubscribeStream and PublishStream, as Grafana answers an unknown
 * channel, and fails RunStream with INVALID_ARGUMENT. @private Internal code.
 */
export function createStreamService(scope: CallScope, handlers: PluginHandlers): ServiceImpl<typeof Stream> {
  return {
    async subscribeStream(req, hctx) {
      const h = handlers.subscribeStream ?? unimplemented("SubscribeStream");
      return scope.run("subscribeStream", req.pluginContext, req.headers, hctx, async (ctx) => {
        if (validateChannelPath(req.path) !== undefined)
          return { status: SubscribeStreamResponse_Status.NOT_FOUND };
        const result = await h(streamRequest(req), ctx);
        return { status: result.status, data: jsonPayload(result.initialData) };
      });
    },
    async publishStream(req, hctx) {
      const h = handlers.publishStream ?? unimplemented("PublishStream");
      return scope.run("publishStream", req.pluginContext, req.headers, hctx, async (ctx) => {
        if (validateChannelPath(req.path) !== undefined)
          return { status: PublishStreamResponse_Status.NOT_FOUND };
        const result = await h(streamRequest(req), ctx);
        return { status: result.status, data: jsonPayload(result.data) };
      });
    },
    async *runStream(req, hctx) {
      const h = handlers.runStream ?? unimplemented("RunStream");
      yield* serverStream<{ data: Uint8Array }>((push) =>
        scope.run("runStream", req.pluginContext, req.headers, hctx, async (ctx) => {
          const invalid = validateChannelPath(req.path);
          if (invalid !== undefined) throw new ConnectError(invalid, Code.InvalidArgument);
          const sender = createStreamSender((data) => push({ data }));
          await h(streamRequest(req), sender, ctx);
        }),
      );
    },
  };
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

/** A frame as frame JSON (schema and data), bytes as they are, anything else as JSON. */
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
