import type { MessageInitShape } from "@bufbuild/protobuf";
import { responseErrorSource } from "./error-response.js";
import { errorSourceFromHttpStatus } from "./error-source-from-http-status.js";
import type {
  CallResourceRequest,
  CallResourceResponseSchema,
  StringListSchema,
} from "./gen/pluginv2/backend_pb.js";
import { PluginError } from "./plugin-error.js";

/** The origin of the `Request` handed to resource handlers; Grafana's own URL is in the context. */
export const resourceOrigin = "http://grafana-plugin.invalid";

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1, the list Go's `httputil.ReverseProxy` removes): they
 * describe one HTTP connection, and the CallResource hop is gRPC, not that connection. Grafana
 * strips them from the browser's request and from the plugin's response; the SDK does the same,
 * so a plugin reached some other way (Connect, tests) sees and sends what it would behind Grafana.
 */
const hopByHopHeaders = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Whether a header must not cross the CallResource hop: a hop-by-hop header, or one that a
 * `Connection` header names. @private Internal code.
 */
export function isHopByHopHeader(name: string, connectionTokens: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return hopByHopHeaders.has(lower) || connectionTokens.has(lower);
}

/** The header names a `Connection` header lists (lower case), which are hop-by-hop too. */
function connectionTokens(values: readonly string[]): Set<string> {
  const tokens = new Set<string>();
  for (const value of values) {
    for (const token of value.split(",")) {
      const name = token.trim().toLowerCase();
      if (name) tokens.add(name);
    }
  }
  return tokens;
}

// Raw C0 controls and DEL: Go's url.Parse rejects them ("invalid control character in URL").
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacter = /[\u0000-\u001f\u007f]/;
// A `%` not followed by two hex digits: Go's url.Parse rejects it ("invalid URL escape").
const badEscape = /%(?![0-9a-fA-F]{2})/;

/**
 * Throws a 400 {@link PluginError} when Go's `url.Parse` would reject `text`: a raw control
 * character anywhere, or a bad percent-encoding in its path (before any `?`; Go does not check
 * the query's).
 */
function checkUrlPart(text: string, what: string): void {
  const control = controlCharacter.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw new PluginError(`invalid resource ${what}: it holds the control character U+${code}`, {
      status: 400,
    });
  }
  const queryAt = text.indexOf("?");
  const percent = badEscape.exec(queryAt >= 0 ? text.slice(0, queryAt) : text);
  if (percent) {
    const bad = text.slice(percent.index, percent.index + 3);
    throw new PluginError(`invalid resource ${what}: ${JSON.stringify(bad)} is not a percent-encoding`, {
      status: 400,
    });
  }
}

/**
 * The query of a CallResource `url` as the Go SDK's httpadapter takes it (`url.Parse(req.URL)
 * .RawQuery`): after the first `?`, before any `#`; empty when there is none.
 */
function rawQuery(url: string): string {
  const hashAt = url.indexOf("#");
  const beforeHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const queryAt = beforeHash.indexOf("?");
  return queryAt >= 0 ? beforeHash.slice(queryAt + 1) : "";
}

/**
 * A web `Request` for a CallResource request, built as the Go SDK's httpadapter builds its
 * `http.Request`: `path` with a leading `/`, then `?` and the query of `url` when it has one, the
 * headers, and the body. The URL is then parsed by the WHATWG rules `Request` follows: `.` and
 * `..` segments (also as `%2e`) are resolved and never climb above `/`, `\` counts as `/`, other
 * percent-encodings (`%2F`, `%00`, `%252e`) stay encoded, and its origin is always
 * {@link resourceOrigin} (a path `//host/x` is a path, not another host). The raw `path` and `url`
 * stay in the handler's context. A path or url with a raw control character or a `%` that is no
 * percent-encoding, which Go's `url.Parse` rejects, is a 400 {@link PluginError}. Hop-by-hop
 * headers and `Content-Length` (the body is the message's bytes; Grafana never sends it) are
 * dropped. @private Internal code.
 */
export function toWebRequest(message: CallResourceRequest, signal: AbortSignal): Request {
  checkUrlPart(message.path, "path");
  checkUrlPart(message.url, "url");
  const path = message.path.startsWith("/") ? message.path : `/${message.path}`;
  const query = rawQuery(message.url);
  const headers = new Headers();
  const hop = connectionTokens(
    Object.entries(message.headers).flatMap(([name, list]) =>
      name.toLowerCase() === "connection" ? list.values : [],
    ),
  );
  for (const [name, list] of Object.entries(message.headers)) {
    if (isHopByHopHeader(name, hop) || name.toLowerCase() === "content-length") continue;
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
  // Concatenated, not resolved against the origin: `new URL("//evil.example/x", origin)` would
  // be another host.
  return new Request(new URL(`${resourceOrigin}${path}${query ? `?${query}` : ""}`), {
    method,
    headers,
    body: hasBody ? message.body : null,
    signal,
  });
}

type ResponseInit = MessageInitShape<typeof CallResourceResponseSchema>;

/**
 * The response headers as CallResource carries them, without hop-by-hop ones. `Set-Cookie` keeps
 * one value per cookie (joined they could not be split again); Grafana itself never forwards it to
 * browsers, as the Go SDK leaves to it. `Content-Length` passes as the handler set it, as in the
 * Go SDK: a wrong one is the handler's bug, which Grafana's HTTP server reports.
 */
function headerMap(headers: Headers): Record<string, MessageInitShape<typeof StringListSchema>> {
  const out: Record<string, { values: string[] }> = {};
  const hop = connectionTokens([headers.get("connection") ?? ""]);
  headers.forEach((value, name) => {
    if (name === "set-cookie" || isHopByHopHeader(name, hop)) return;
    out[name] = { values: [value] };
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = { values: cookies };
  return out;
}

/**
 * The `errorSource` of a CallResource response (SDK v0.300.0, field 4): the source of the error
 * that made the response ({@link errorResponse} records it), else for a status >= 400 the source
 * {@link errorSourceFromHttpStatus} gives that status, else empty (no error). This is what the
 * upstream change that added the field does (grafana-plugin-sdk-go PR #1673, "reporting errors as
 * downstream" for resources and health): its `ErrorSourceMiddleware.CallResource` keeps a source
 * the plugin set and fills an empty one with `ErrorSourceFromHTTPStatus(resp.Status)`. The SDK
 * sources stored here end at v0.296.3, before the field, so that is read from the PR's review, not
 * from v0.300.0's code; success answers get no source, as Go leaves `DataResponse.errorSource`
 * empty without an error.
 */
function resourceErrorSource(response: Response): string {
  const fromError = responseErrorSource(response);
  if (fromError) return fromError;
  return response.status >= 400 ? errorSourceFromHttpStatus(response.status) : "";
}

/**
 * The CallResource messages of a web `Response`: the first carries status, headers, the error
 * source (see {@link resourceErrorSource}) and the first body chunk; each later chunk of a streamed
 * body is one more message. @private Internal code.
 */
export async function* fromWebResponse(
  response: Response,
  signal: AbortSignal,
): AsyncGenerator<ResponseInit> {
  const head: ResponseInit = { code: response.status, headers: headerMap(response.headers) };
  const errorSource = resourceErrorSource(response);
  if (errorSource) head.errorSource = errorSource;
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
