// Fuzzes CallResource requests through the in-process client, for testdata and for a probe plugin:
// arbitrary paths and urls (`..`, percent-encoding, NUL, lone surrogates), methods (forbidden and
// malformed ones included), headers (bad names and values) and bodies, as core turns them into a
// web Request and the handler's Response back into CallResource messages.
// Long run: GFSDK_FUZZ_RUNS=5000 npx vitest run packages/conformance/src/fuzz/resource-requests.test.ts
// (or node tools/scripts/fuzz.ts --runs 5000).
import { ConnectError } from "@connectrpc/connect";
import { googleRpc, resourceOrigin } from "@gfsdk/core/protocol";
import { createInProcessClient } from "@gfsdk/in-process";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { testdataContext } from "../requests.js";
import { unclearFailure } from "./clear-failure.js";
import { createErrorLog, createFuzzPlugins } from "./fuzz-plugins.js";
import { fuzzRuns, fuzzTimeoutMs } from "./fuzz-runs.js";

const runs = fuzzRuns(300);
const decoder = new TextDecoder();
const encoder = new TextEncoder();

const segment = fc.oneof(
  fc.constantFrom(
    "echo",
    "stream",
    "..",
    ".",
    "",
    "%2e%2e",
    "%2F",
    "%00",
    "a\u0000b",
    "\uD800",
    "é",
    "%",
    "%zz",
    "a b",
    "?",
    "#",
    "\\",
  ),
  fc.string({ unit: "binary", maxLength: 8 }),
);
const path = fc.oneof(
  fc.constantFrom("echo", "/echo", "stream", "//echo", "echo/", "../echo", "/../../etc/passwd", ""),
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join("/")),
);
const query = fc.oneof(
  fc.constant(""),
  fc.constantFrom(
    "?chunks=3",
    "?chunks=-1",
    "?chunks=1e9",
    "?chunks=abc",
    "?a=%ZZ&b",
    "?x=\u0000",
    "??",
    "?#frag",
  ),
  fc.string({ unit: "binary", maxLength: 12 }).map((q) => `?${q}`),
);
const method = fc.oneof(
  fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "post", ""),
  fc.constantFrom("CONNECT", "TRACE", "TRACK", "G E T", "GET\r\n", "Ünïcode", "x".repeat(300)),
  fc.string({ maxLength: 8 }),
);
const headerName = fc.oneof(
  fc.constantFrom(
    "Accept",
    "content-type",
    "Content-Length",
    "host",
    "Cookie",
    "X-Grafana-User",
    "",
    "bad name",
    "a\u0000b",
    "é",
  ),
  fc.string({ maxLength: 10 }),
);
const headerValue = fc.oneof(
  fc.constantFrom(
    "application/json",
    "",
    " padded ",
    "a\r\nInjected: 1",
    "nul\u0000",
    "é",
    "\uD800",
    "1".repeat(100),
  ),
  fc.string({ unit: "binary", maxLength: 12 }),
);
const resourceRequest = fc.record({
  path,
  query,
  method,
  headers: fc.dictionary(headerName, fc.record({ values: fc.array(headerValue, { maxLength: 3 }) }), {
    maxKeys: 4,
  }),
  body: fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 64 })),
});

describe.each(createFuzzPlugins())("CallResource($name) with fuzzed requests (in-process)", (target) => {
  const log = createErrorLog();
  const client = createInProcessClient(target.plugin, { logger: log.logger });
  afterAll(() => client.close());

  it(
    "answers an HTTP status (100–599), or fails with a clear error",
    async () => {
      await fc.assert(
        fc.asyncProperty(resourceRequest, async (r) => {
          target.violations.length = 0;
          log.errors.length = 0;
          const messages = [];
          try {
            for await (const message of client.resource.callResource({
              pluginContext: testdataContext(),
              path: r.path,
              url: `${r.path}${r.query}`,
              method: r.method,
              headers: r.headers,
              body: r.body,
            })) {
              messages.push(message);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(ConnectError);
            const e = error as ConnectError;
            const source = e.findDetails(googleRpc.ErrorInfoSchema)[0]?.metadata.errorSource;
            expect(unclearFailure(e.code, e.rawMessage, source)).toBeUndefined();
            return;
          }
          expect(messages.length).toBeGreaterThan(0);
          const status = messages[0]!.code;
          expect(status >= 100 && status <= 599, `status ${status}`).toBe(true);
          if (target.name === "probe" && status === 200) {
            // The handler saw the path under the resource origin, never outside it.
            const echoed = JSON.parse(decoder.decode(messages[0]!.body)) as { url: string; path: string };
            expect(echoed.url.startsWith(`${resourceOrigin}/`)).toBe(true);
            // Protobuf strings are UTF-8: a lone surrogate arrives as U+FFFD.
            expect(echoed.path).toBe(decoder.decode(encoder.encode(r.path)));
          }
          expect(target.violations).toEqual([]);
          expect(log.errors).toEqual([]);
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 100),
  );
});
