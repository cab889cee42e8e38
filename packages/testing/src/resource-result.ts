import type { ErrorSource } from "@gfsdk/core";
import type { pluginv2 } from "@gfsdk/core/protocol";

/** A CallResource answer, its streamed chunks joined. */
export interface ResourceResult {
  /** The HTTP status code. */
  status: number;
  /** The response headers. */
  headers: Headers;
  /** Who caused an error answer (`CallResourceResponse.errorSource`, SDK v0.300.0); undefined when unset. */
  errorSource: ErrorSource | undefined;
  /** The whole body. */
  body: Uint8Array;
  /** The body as the plugin streamed it, one entry per CallResource message that carried bytes. */
  chunks: Uint8Array[];
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON; throws a SyntaxError naming the status when it is not JSON. */
  json<T = unknown>(): T;
}

const decoder = new TextDecoder();

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Converts the CallResource messages of one call to a {@link ResourceResult}: the first message
 * carries status and headers, every message may carry body bytes.
 */
export function toResourceResult(messages: pluginv2.CallResourceResponse[]): ResourceResult {
  const head = messages[0];
  if (head === undefined) throw new Error("the plugin answered CallResource with no message");
  const headers = new Headers();
  for (const [name, list] of Object.entries(head.headers)) {
    for (const value of list.values) headers.append(name, value);
  }
  const chunks = messages.map((m) => m.body).filter((b) => b.length > 0);
  const body = concat(chunks);
  return {
    status: head.code,
    headers,
    errorSource: head.errorSource === "" ? undefined : (head.errorSource as ErrorSource),
    body,
    chunks,
    text: () => decoder.decode(body),
    json<T>(): T {
      const text = decoder.decode(body);
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new SyntaxError(
          `the resource body (status ${head.code}) is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
          { cause: error },
        );
      }
    },
  };
}
