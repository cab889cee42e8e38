// QueryChunkedData over a real gRPC connection with a slow consumer: the plugin's writes wait for
// the transport, so memory stays bounded however much the handler has left to write.
import { createLogger, definePlugin } from "@gfsdk/core";
import { createGrpcPluginClient } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcServer } from "./grpc-server.js";
import { createUnixSocketPath } from "./unix-socket-path.js";

const chunkBytes = 1024 * 1024;
const chunkCount = 64;
/**
 * The stated bound: at most this many chunks written (their writes resolved) and not yet read by
 * the consumer: the client's read-ahead of 16 decoded messages (Node's object-mode
 * highWaterMark, measured the same for chunks of 256 KiB, 1 MiB and 4 MiB: a count, not bytes),
 * one in core's queue and one in grpc-js's write, which waits for 'drain'. Without backpressure
 * all 64 chunks (64 MiB) would be written at once.
 */
const maxChunksAhead = 18;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Yields to the event loop `n` times: the producer gets every chance to run ahead meanwhile. */
async function yieldTimes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("QueryChunkedData over gRPC", () => {
  it(`keeps at most ${maxChunksAhead} chunks of 1 MiB ahead of a slow consumer`, async () => {
    let written = 0;
    const plugin = definePlugin({
      queryChunkedData: async (queries, writer) => {
        for (let i = 0; i < chunkCount; i++) {
          // Pre-encoded bytes: what core sends is exactly what is measured.
          await writer.writeFrame(queries[0]!.refId, `f${i}`, new Uint8Array(chunkBytes).fill(i));
          written++;
        }
      },
    });
    const server = await createGrpcServer(plugin, {
      listen: { network: "unix", path: await createUnixSocketPath() },
      logger: createLogger({ write: () => {} }),
      metrics: false,
    });
    cleanups.push(() => server.shutdown());
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());

    let read = 0;
    let maxAhead = 0;
    for await (const chunk of client.data.queryChunkedData({ queries: [{ refId: "A" }] })) {
      expect(chunk.frame.length).toBe(chunkBytes);
      expect(chunk.frame[0]).toBe(read);
      read++;
      // A slow consumer: the producer has all these turns of the event loop to run ahead.
      await yieldTimes(200);
      maxAhead = Math.max(maxAhead, written - read);
    }
    expect(read).toBe(chunkCount);
    expect(written).toBe(chunkCount);
    expect(maxAhead).toBeLessThanOrEqual(maxChunksAhead);
    // The producer did run ahead a little: the measure is not vacuous.
    expect(maxAhead).toBeGreaterThanOrEqual(1);
  });
});
