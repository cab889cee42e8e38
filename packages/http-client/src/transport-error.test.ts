import { DownstreamError } from "@gfsdk/core";
import { describe, expect, it } from "vitest";
import { isTransportFailure, safeUrl, transportError } from "./transport-error.js";

/** A failure shaped as undici's fetch rejects with: `TypeError("fetch failed")`, the reason as cause. */
function fetchFailed(code: string, message: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}

const request = { method: "POST", url: "https://api.example:8443/v1/write?token=t0k" };
const none = (text: string) => text;

describe("transportError", () => {
  it("names a DNS failure, without the query", () => {
    const error = transportError(
      fetchFailed("ENOTFOUND", "getaddrinfo ENOTFOUND api.example"),
      request,
      none,
    );
    expect(error).toBeInstanceOf(DownstreamError);
    expect(error.source).toBe("downstream");
    expect(error.status).toBe(502);
    expect(error.message).toBe("POST https://api.example:8443/v1/write: host not found (DNS) (ENOTFOUND)");
  });

  it("finds the reason inside an AggregateError (one per address tried)", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED ::1:80"), { code: "ECONNREFUSED" });
    const cause = new AggregateError([refused, refused]);
    const error = transportError(new TypeError("fetch failed", { cause }), request, none);
    expect(error.message).toMatch(/: connection refused \(ECONNREFUSED\)$/);
  });

  it("reports undici's header timeout as a 504", () => {
    const error = transportError(
      fetchFailed("UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error"),
      request,
      none,
    );
    expect(error.status).toBe(504);
    expect(error.message).toMatch(/timed out waiting for the response headers/);
  });

  it("masks secrets in the reason", () => {
    const error = transportError(fetchFailed("EWEIRD", "failed with s3cret"), request, (t) =>
      t.replaceAll("s3cret", "[redacted]"),
    );
    expect(error.message).toBe("POST https://api.example:8443/v1/write: failed with [redacted]");
  });
});

describe("isTransportFailure", () => {
  it("tells a failed fetch from a bad argument", () => {
    expect(isTransportFailure(fetchFailed("ECONNRESET", "socket hang up"))).toBe(true);
    expect(isTransportFailure(new TypeError("Invalid URL"))).toBe(false);
  });
});

describe("safeUrl", () => {
  it("drops credentials, query and fragment", () => {
    expect(safeUrl("http://u:p@h:1/a/b?x=1#f")).toBe("http://h:1/a/b");
    expect(safeUrl("not a url")).toBe("(invalid URL)");
  });
});
