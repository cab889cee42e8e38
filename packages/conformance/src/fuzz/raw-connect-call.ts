import { Code, ConnectError } from "@connectrpc/connect";
import { endStreamFromJson, errorFromJsonBytes } from "@connectrpc/connect/protocol-connect";

/** How a Connect-protocol call with a raw body ended. */
export interface ConnectCallOutcome {
  /** The HTTP status of the response. */
  httpStatus: number;
  /** The error, if the call failed (from the unary error body or the stream's end message). */
  error?: ConnectError;
  /** The response messages, undecoded. */
  messages: Uint8Array[];
  /** True when the client stopped reading a stream after its first message. */
  cancelledAfterFirst: boolean;
}

/** A Connect streaming envelope: flags, big-endian length, data. */
export function envelope(data: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, data.length);
  out.set(data, 5);
  return out;
}

/**
 * POSTs `body` to `url` as a Connect call: unary (`application/proto` or `application/json`, the body
 * is the message) or server-streaming (`application/connect+proto`/`+json`, the body should be
 * enveloped, see {@link envelope}). Parses the answer by the Connect protocol; anything that does
 * not follow it rejects.
 */
export async function rawConnectCall(
  url: string,
  body: Uint8Array,
  options: { streaming: boolean; json?: boolean; timeoutMs: number; stopAfterFirst?: boolean },
): Promise<ConnectCallOutcome> {
  const codec = options.json ? "json" : "proto";
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`no answer within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": options.streaming ? `application/connect+${codec}` : `application/${codec}`,
        "connect-protocol-version": "1",
      },
      body,
      signal: abort.signal,
    });
    if (!options.streaming) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.status === 200) return { httpStatus: 200, messages: [bytes], cancelledAfterFirst: false };
      return {
        httpStatus: response.status,
        error: errorBody(response.status, bytes),
        messages: [],
        cancelledAfterFirst: false,
      };
    }
    if (response.status !== 200) {
      // A streaming call refused before it started (e.g. a bad content type) answers like a unary error.
      const bytes = new Uint8Array(await response.arrayBuffer());
      return {
        httpStatus: response.status,
        error: errorBody(response.status, bytes),
        messages: [],
        cancelledAfterFirst: false,
      };
    }
    return await readStream(response, abort, options.stopAfterFirst ?? false);
  } finally {
    clearTimeout(timer);
  }
}

/** The error of a non-200 answer; a body that is not a Connect error is DATA_LOSS, which no property accepts. */
function errorBody(status: number, bytes: Uint8Array): ConnectError {
  const fallback = new ConnectError(`HTTP ${status} without a Connect error body`, Code.DataLoss);
  try {
    return errorFromJsonBytes(bytes, undefined, fallback);
  } catch {
    return fallback;
  }
}

async function readStream(
  response: Response,
  abort: AbortController,
  stopAfterFirst: boolean,
): Promise<ConnectCallOutcome> {
  const reader = response.body!.getReader();
  const messages: Uint8Array[] = [];
  let buffer = new Uint8Array(0);
  for (;;) {
    while (buffer.length >= 5) {
      const length = new DataView(buffer.buffer, buffer.byteOffset).getUint32(1);
      if (buffer.length < 5 + length) break;
      const flags = buffer[0]!;
      const data = buffer.slice(5, 5 + length);
      buffer = buffer.slice(5 + length);
      if (flags & 0x02) {
        const end = endStreamFromJson(data);
        await reader.cancel().catch(() => {});
        return { httpStatus: 200, error: end.error, messages, cancelledAfterFirst: false };
      }
      messages.push(data);
      if (stopAfterFirst) {
        abort.abort();
        await reader.cancel().catch(() => {});
        return { httpStatus: 200, messages, cancelledAfterFirst: true };
      }
    }
    const { done, value } = await reader.read();
    if (done) throw new ConnectError("the stream ended without an end-stream message", Code.DataLoss);
    const next = new Uint8Array(buffer.length + value.length);
    next.set(buffer);
    next.set(value, buffer.length);
    buffer = next;
  }
}
