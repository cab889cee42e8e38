import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import type { goplugin } from "@gfsdk/core/protocol";

/**
 * Creates go-plugin's `plugin.GRPCStdio` service. The host opens `StreamStdio` once after
 * connecting; Grafana discards what comes through it, and plugin output already goes to stderr, so
 * the stream stays open and silent until the caller leaves or `closed` aborts (shutdown).
 */
export function createStdioService(closed: AbortSignal): ServiceImpl<typeof goplugin.GRPCStdio> {
  return {
    async *streamStdio(_request, context): AsyncIterable<MessageInitShape<typeof goplugin.StdioDataSchema>> {
      const signal = AbortSignal.any([closed, context.signal]);
      if (signal.aborted) return;
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    },
  };
}
