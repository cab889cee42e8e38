import { DownstreamError } from "@gfsdk/core";

/** What a failure of the network, DNS, TLS or proxy means, by Node's and undici's error codes. */
const descriptions: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset by the server",
  EPIPE: "connection closed by the server",
  ENOTFOUND: "host not found (DNS)",
  EAI_AGAIN: "host name lookup failed (DNS)",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "timed out waiting for the response headers",
  UND_ERR_BODY_TIMEOUT: "timed out reading the response body",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CLOSED: "connection closed",
};

interface CodedError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** The innermost error with a string `code` (through `cause` and an AggregateError's `errors`). */
function codedCause(error: unknown, depth = 0): CodedError | undefined {
  if (error === null || typeof error !== "object" || depth > 5) return undefined;
  const e = error as CodedError;
  const inner =
    codedCause(e.cause, depth + 1) ??
    (Array.isArray(e.errors) ? e.errors.map((x) => codedCause(x, depth + 1)).find(Boolean) : undefined);
  return inner ?? (typeof e.code === "string" ? e : undefined);
}

/** The proxy address of a `SecureSocksProxyError` in the cause chain, if any. */
function proxyFailure(error: unknown, depth = 0): string | undefined {
  if (error === null || typeof error !== "object" || depth > 5) return undefined;
  const e = error as { name?: unknown; proxyAddress?: unknown; cause?: unknown };
  if (e.name === "SecureSocksProxyError" && typeof e.proxyAddress === "string") return e.proxyAddress;
  return proxyFailure(e.cause, depth + 1);
}

/** The URL of a request without credentials, query or fragment (they may hold secrets). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

/** Whether `error` is the failure of a request that reached the network (not a bad argument). */
export function isTransportFailure(error: unknown): boolean {
  // undici's fetch rejects a request it could not send with this TypeError, the reason as cause.
  return error instanceof TypeError && error.message === "fetch failed";
}

/**
 * A transport failure (refused, reset, DNS, TLS, proxy, timeout) as a {@link DownstreamError}:
 * source `downstream`, status 504 for a timeout and 502 otherwise, the message naming the method,
 * the URL (without credentials or query) and the reason, with every secret of `redact` masked.
 */
export function transportError(
  error: unknown,
  request: { method: string; url: string },
  redact: (text: string) => string,
  timeoutMs?: number,
): DownstreamError {
  const what = `${request.method} ${safeUrl(request.url)}`;
  if (timeoutMs !== undefined) {
    return new DownstreamError(`${what}: timed out after ${timeoutMs / 1000} s (jsonData.timeout)`, {
      status: 504,
      cause: error,
    });
  }
  const coded = codedCause(error);
  const proxy = proxyFailure(error);
  const code = typeof coded?.code === "string" ? coded.code : undefined;
  const reason =
    code && Object.hasOwn(descriptions, code)
      ? `${descriptions[code]} (${code})`
      : code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)
        ? `TLS error: ${String(coded?.message ?? code)} (${code})`
        : String(
            coded?.message ??
              ((error as CodedError)?.cause as CodedError | undefined)?.message ??
              (error as Error)?.message ??
              error,
          );
  const timeout = code === "ETIMEDOUT" || (code?.startsWith("UND_ERR_") && code.endsWith("TIMEOUT"));
  // A coded reason from inside the proxy's connection still says it was the proxy's.
  const via = proxy && coded ? `secure socks proxy ${proxy}: ` : "";
  // Masked first (a PEM secret spans lines), then one line: OpenSSL's messages end with a newline.
  const line = redact(`${what}: ${via}${reason}`).replace(/\s+/g, " ").trim();
  return new DownstreamError(line, { status: timeout ? 504 : 502, cause: error });
}
