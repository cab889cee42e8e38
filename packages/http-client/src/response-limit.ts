import { DownstreamError } from "@gfsdk/core";

/**
 * A downstream response larger than the response limit (grafanaConfig `GF_RESPONSE_LIMIT` or the
 * `GF_DATAPROXY_RESPONSE_LIMIT` variable): a {@link DownstreamError} naming the limit, never a
 * silently cut body.
 */
export class ResponseLimitError extends DownstreamError {
  override name = "ResponseLimitError";
  /** The limit, in bytes. */
  readonly limit: number;

  constructor(url: string, limit: number, declared?: number) {
    super(
      `response body of ${url} is larger than the response limit of ${limit} bytes (GF_RESPONSE_LIMIT)` +
        (declared === undefined ? "" : `: Content-Length is ${declared}`),
      { status: 502 },
    );
    this.limit = limit;
  }
}

/**
 * `response` with a body that fails with a {@link ResponseLimitError} once more than `limit` bytes
 * arrived, as the Go SDK's `MaxBytesReader`; the bytes up to the limit are delivered first, so a
 * streaming reader sees the error in place of the rest. A response whose `Content-Length` already
 * says more fails at once, before its body is read.
 */
export function limitResponse(
  response: Response,
  limit: number,
  url: string,
  onExceeded: () => void,
): Response {
  if (response.body === null) return response;
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    void response.body.cancel().catch(() => {});
    onExceeded();
    throw new ResponseLimitError(url, limit, declared);
  }
  let seen = 0;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          const keep = chunk.byteLength - (seen - limit);
          if (keep > 0) controller.enqueue(chunk.subarray(0, keep));
          onExceeded();
          controller.error(new ResponseLimitError(url, limit));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return rebuilt(response, body);
}

/** A response like `response` with another body; `url` and `redirected` are kept. */
export function rebuilt(response: Response, body: ReadableStream<Uint8Array> | null): Response {
  const out = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(out, "url", { value: response.url });
  Object.defineProperty(out, "redirected", { value: response.redirected });
  return out;
}
