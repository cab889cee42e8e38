import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  CallResourceRequest,
  CallResourceResponseSchema,
  StringListSchema,
} from "./gen/pluginv2/backend_pb.js";

/** The origin of the `Request` handed to resource handlers; Grafana's own URL is in the context. */
export const resourceOrigin = "http://grafana-plugin.invalid";

/**
 * A web `Request` for a CallResource request: the path (with a leading `/`) and the query string of
 * `url`, the headers, and the body. @private Internal code.
 */
export function toWebRequest(message: CallResourceRequest, signal: AbortSignal): Request {
  const path = message.path.startsWith("/") ? message.path : `/${message.path}`;
  const queryAt = message.url.indexOf("?");
  const search = queryAt >= 0 ? message.url.slice(queryAt) : "";
  const headers = new Headers();
  for (const [name, list] of Object.entries(message.headers)) {
    for (const value of list.values) {
      try {
        headers.append(name, value);
      } catch {
        // A header the fetch standard forbids (bad name or value) is dropped, not fatal to the call.
      }
    }
  }
  const method = (message.method || "GET").toUpperCase();
  const hasBody = message.body.length > 0 && method !== "GET" && method !== "HEAD";
  return new Request(new URL(path + search, resourceOrigin), {
    method,
    headers,
    body: hasBody ? message.body : null,
    signal,
  });
}

type ResponseInit = MessageInitShape<typeof CallResourceResponseSchema>;

function headerMap(headers: Headers): Record<string, MessageInitShape<typeof StringListSchema>> {
  const out: Record<string, { values: string[] }> = {};
  headers.forEach((value, name) => {
    if (name === "set-cookie") return;
    out[name] = { values: [value] };
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = { values: cookies };
  return out;
}

/**
 * The CallResource messages of a web `Response`: the first carries status, headers and the first
 * body chunk; each later chunk of a streamed body is one more message. @private Internal code.
 */
export async function* fromWebResponse(
  response: Response,
  signal: AbortSignal,
): AsyncGenerator<ResponseInit> {
  const head: ResponseInit = { code: response.status, headers: headerMap(response.headers) };
  if (!response.body) {
    yield head;
    return;
  }
  const reader = response.body.getReader();
  const onAbort = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    let first = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value || value.length === 0) continue;
      if (first) {
        first = false;
        yield { ...head, body: value };
      } else {
        yield { body: value };
      }
    }
    if (first) yield head;
  } finally {
    signal.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
