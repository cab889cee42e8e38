import { type Client, Metadata, type ServiceError, type StatusObject } from "@grpc/grpc-js";

/** How a call with raw request bytes ended. */
export interface RawCallOutcome {
  /** The gRPC status code; 0 is OK. */
  code: number;
  details: string;
  metadata: Metadata;
  /** The response messages, undecoded. */
  messages: Buffer[];
  /** True when the client cancelled a stream after its first message (streams that never end). */
  cancelledAfterFirst: boolean;
}

const identity = (bytes: Buffer) => bytes;

/**
 * Calls `path` with `request` as the request message's bytes exactly (no protobuf encoding), as a
 * unary or server-streaming call, within `deadlineMs`. With `stopAfterFirst`, a stream is cancelled
 * once its first message arrives.
 */
export function rawGrpcCall(
  client: Client,
  path: string,
  request: Uint8Array,
  options: { streaming: boolean; deadlineMs: number; stopAfterFirst?: boolean },
): Promise<RawCallOutcome> {
  const bytes = Buffer.from(request.buffer, request.byteOffset, request.byteLength);
  const deadline = Date.now() + options.deadlineMs;
  return new Promise((resolve) => {
    if (!options.streaming) {
      client.makeUnaryRequest(
        path,
        identity,
        identity,
        bytes,
        new Metadata(),
        { deadline },
        (error: ServiceError | null, value?: Buffer) =>
          resolve(
            error
              ? {
                  code: error.code,
                  details: error.details,
                  metadata: error.metadata,
                  messages: [],
                  cancelledAfterFirst: false,
                }
              : {
                  code: 0,
                  details: "",
                  metadata: new Metadata(),
                  messages: value ? [value] : [],
                  cancelledAfterFirst: false,
                },
          ),
      );
      return;
    }
    const messages: Buffer[] = [];
    let cancelledAfterFirst = false;
    const call = client.makeServerStreamRequest(path, identity, identity, bytes, new Metadata(), {
      deadline,
    });
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
      resolve({
        code: status.code,
        details: status.details,
        metadata: status.metadata,
        messages,
        cancelledAfterFirst,
      }),
    );
  });
}
