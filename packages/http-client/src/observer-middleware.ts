import type { HttpMiddleware } from "./http-middleware.js";
import { rebuilt } from "./response-limit.js";

/** One observed request: ended once with the response or the error, then told the body's size. */
export interface RequestObservation {
  /** Called once: with the response when its headers arrived, or with the error. */
  end(outcome: Response | unknown): void;
  /** Called once the body was read to its end, failed or was cancelled: the bytes read. */
  responseSize(bytes: number): void;
}

/**
 * A middleware that reports every request to `observe` (a span and metrics, as the Go SDK's tracing
 * and data source metrics middlewares): `observe(request)` before it is sent (it may add headers
 * such as `traceparent` to `request.headers`), `end` with the response or the error, and
 * `responseSize` with the bytes of the body once it has been consumed. `observe` is, for example,
 * `@gfsdk/core`'s `observeDownstreamRequest`.
 */
export function createObserverMiddleware(observe: (request: Request) => RequestObservation): HttpMiddleware {
  return async (request, next) => {
    const observation = observe(request);
    let response: Response;
    try {
      response = await next(request);
    } catch (error) {
      observation.end(error);
      throw error;
    }
    observation.end(response);
    if (response.body === null) {
      observation.responseSize(0);
      return response;
    }
    return rebuilt(
      response,
      counted(response.body, (bytes) => observation.responseSize(bytes)),
    );
  };
}

/** `body`, reporting the bytes read once, when it ends, fails or is cancelled. */
function counted(
  body: ReadableStream<Uint8Array>,
  report: (bytes: number) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let bytes = 0;
  let reported = false;
  const done = () => {
    if (!reported) {
      reported = true;
      report(bytes);
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          done();
          controller.close();
        } else {
          bytes += next.value.byteLength;
          controller.enqueue(next.value);
        }
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
}
