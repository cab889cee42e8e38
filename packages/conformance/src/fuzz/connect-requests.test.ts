// Fuzzes the request decoding of every pluginv2 RPC on the Connect handler (serveConnect, HTTP/1.1),
// for testdata and for a probe plugin with every handler: binary bodies (mutated testdata
// scenarios, arbitrary bytes, well-formed messages with arbitrary content), mutated JSON bodies,
// and for streaming RPCs mutated envelopes.
// Long run: GFSDK_FUZZ_RUNS=5000 npx vitest run packages/conformance/src/fuzz/connect-requests.test.ts
// (or node tools/scripts/fuzz.ts --runs 5000).
import { fromBinary, fromJsonString, toBinary, toJsonString } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import { type ConnectServer, serveConnect } from "@gfsdk/connect";
import { googleRpc, pluginv2 } from "@gfsdk/core/protocol";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatedBytes } from "./byte-mutations.js";
import { badResponse } from "./check-response.js";
import { unclearFailure } from "./clear-failure.js";
import { createErrorLog, createFuzzPlugins } from "./fuzz-plugins.js";
import { fuzzRuns, fuzzTimeoutMs } from "./fuzz-runs.js";
import { arbitraryMessage } from "./message-arbitrary.js";
import { envelope, rawConnectCall } from "./raw-connect-call.js";
import { rpcSeeds } from "./request-seeds.js";

const runs = fuzzRuns(50);
const timeoutMs = 20_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const validHealth = rpcSeeds.find((r) => r.method.name === "CheckHealth")!.seeds[0]!;

function errorSource(error: ConnectError): string | undefined {
  return error.findDetails(googleRpc.ErrorInfoSchema)[0]?.metadata.errorSource;
}

describe.each(createFuzzPlugins())("serveConnect($name) with fuzzed request bodies", (target) => {
  let server: ConnectServer;
  const log = createErrorLog();

  beforeAll(async () => {
    server = await serveConnect(target.plugin, { logger: log.logger });
  });
  afterAll(() => server?.close());

  for (const rpc of rpcSeeds) {
    const streaming = rpc.method.methodKind === "server_streaming";
    const input = rpc.method.input;
    const jsonSeeds = rpc.seeds.map((bytes) => toJsonString(input, fromBinary(input, bytes)));
    const binary = fc.oneof(
      { weight: 3, arbitrary: mutatedBytes(rpc.seeds) },
      { weight: 2, arbitrary: arbitraryMessage(input).map((m) => toBinary(input, m)) },
    );
    const bodies = fc.oneof(
      {
        weight: 4,
        arbitrary: binary.map((bytes) => ({ json: false, bytes: streaming ? envelope(bytes) : bytes })),
      },
      {
        weight: 2,
        arbitrary: mutatedBytes(jsonSeeds.map((text) => encoder.encode(text))).map((bytes) => ({
          json: true,
          bytes: streaming ? envelope(bytes) : bytes,
        })),
      },
      ...(streaming
        ? [
            {
              weight: 1,
              arbitrary: mutatedBytes(rpc.seeds.map((s) => envelope(s))).map((bytes) => ({
                json: false,
                bytes,
              })),
            },
          ]
        : []),
    );
    it(
      `${rpc.method.name} answers OK or a clear error, then still serves`,
      async () => {
        await fc.assert(
          fc.asyncProperty(bodies, async ({ json, bytes }) => {
            target.violations.length = 0;
            log.errors.length = 0;
            const outcome = await rawConnectCall(`${server.url}${rpc.path}`, bytes, {
              streaming,
              json,
              timeoutMs,
              stopAfterFirst: rpc.method.name === "RunStream",
            });
            if (outcome.error) {
              const { code, rawMessage } = outcome.error;
              expect(unclearFailure(code, rawMessage, errorSource(outcome.error))).toBeUndefined();
            } else {
              expect(outcome.httpStatus).toBe(200);
              const messages = json
                ? outcome.messages.map((m) =>
                    toBinary(rpc.method.output, fromJsonString(rpc.method.output, decoder.decode(m))),
                  )
                : outcome.messages;
              expect(badResponse(rpc.method, messages)).toBeUndefined();
            }
            expect(target.violations).toEqual([]);
            expect(log.errors).toEqual([]);
          }),
          { numRuns: runs },
        );
        const health = await rawConnectCall(`${server.url}/pluginv2.Diagnostics/CheckHealth`, validHealth, {
          streaming: false,
          timeoutMs,
        });
        expect(health.error?.code).toBeUndefined();
        expect(fromBinary(pluginv2.CheckHealthResponseSchema, health.messages[0]!).message).toBe(
          target.healthyMessage,
        );
      },
      fuzzTimeoutMs(runs, 500),
    );
  }
});
