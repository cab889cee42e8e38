import { type Client, Metadata, type ServiceError, type StatusObject } from "@grpc/grpc-js";

/** How a call with raw request bytes ended. */
export interface RawCallOutcome {
  /** The gRPC status code; 0 is OK, -1 no status at all (a hang). */
  code: number;
  details: string;
  metadata: Metadata;
  /** The response messages, undecoded. */
  messages: Buffer[];
  /** True when the client cancelled a stream after its first message (streams that never end). */
  cancelledAfterFirst: boolean;
}

const identity = (bytes: Buffer) => bytes;

/** How long after its deadline a call without a status counts as hung. */
const hangGraceMs = 5_000;

/**
 * Calls `path` with `request` as the request message's bytes exactly (no protobuf encoding), as a
 * unary or server-streaming call, within `deadlineMs` (code -1 when no status came 5 s after it).
 * With `stopAfterFirst`, a stream is cancelled once its first message arrives.
 */
export function rawGrpcCall(
  client: Client,
  path: string,
  request: Uint8Array,
  options: { streaming: boolean; deadlineMs: number; stopAfterFirst?: boolean },
): Promise<RawCallOutcome> {
  const bytes = Buffer.from(request.buffer, request.byteOffset, request.byteLength);
  const deadline = Date.now() + options.deadlineMs;
  return new Promise<RawCallOutcome>((resolveOutcome) => {
    const outcome = (
      code: number,
      details: string,
      metadata: Metadata,
      messages: Buffer[],
      cancelledAfterFirst = false,
    ) => ({ code, details, metadata, messages, cancelledAfterFirst }) satisfies RawCallOutcome;
    let settled = false;
    let cancel = () => {};
    // grpc-js ends every call with a status by its deadline; one that does not is a hang to report.
    const timer = setTimeout(() => {
      cancel();
      resolve(outcome(-1, `no status ${hangGraceMs} ms after the deadline`, new Metadata(), []));
    }, options.deadlineMs + hangGraceMs);
    const resolve = (result: RawCallOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveOutcome(result);
    };
    if (!options.streaming) {
      const call = client.makeUnaryRequest(
        path,
        identity,
        identity,
        bytes,
        new Metadata(),
        { deadline },
        (error: ServiceError | null, value?: Buffer) =>
          resolve(
            error
              ? outcome(error.code, error.details, error.metadata, [])
              : outcome(0, "", new Metadata(), value ? [value] : []),
          ),
      );
      cancel = () => call.cancel();
      return;
    }
    const messages: Buffer[] = [];
    let cancelledAfterFirst = false;
    const call = client.makeServerStreamRequest(path, identity, identity, bytes, new Metadata(), {
      deadline,
    });
    cancel = () => call.cancel();
    call.on("data", (message: Buffer) => {
      messages.push(message);
      if (options.stopAfterFirst && !cancelledAfterFirst) {
        cancelledAfterFirst = true;
        call.cancel();
      }
    });
    // grpc-js emits "error" for a non-OK status too; "status" always comes, last.
    call.on("error", () => {});
    call.on("status", (status: StatusObject) =>
      resolve(outcome(status.code, status.details, status.metadata, messages, cancelledAfterFirst)),
    );
  });
}
