import { AsyncQueue } from "./async-queue.js";

/**
 * The messages of a server-streaming RPC, produced by `run` through `push`. `push` resolves once
 * the transport has taken the message (pulled it from this iterable), so a producer never runs
 * more than one message ahead of a slow consumer. When `run` settles the stream ends, with its
 * error if it failed; when the consumer stops early, pushes waiting are released and later ones
 * reject. Used by CallResource, QueryChunkedData and RunStream. @private Internal code.
 */
export async function* serverStream<T>(
  run: (push: (message: T) => Promise<void>) => Promise<void>,
): AsyncGenerator<T> {
  const queue = new AsyncQueue<T>();
  run((message) => queue.push(message)).then(
    () => queue.close(),
    (error: unknown) => queue.close({ error }),
  );
  yield* queue;
}
