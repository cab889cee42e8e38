// Fuzzes the protobuf request decoding of every pluginv2 RPC on the real gRPC server
// (createGrpcServer, grpc-js, unix socket), for testdata and for a probe plugin with every handler:
// request bytes that are valid testdata scenarios mutated (bit flips, truncation, splicing, ...),
// arbitrary bytes, and well-formed messages with arbitrary content, sent as raw bytes.
// Long run: GFSDK_FUZZ_RUNS=5000 npx vitest run packages/conformance/src/fuzz/grpc-requests.test.ts
// (or node tools/scripts/fuzz.ts --runs 5000).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { pluginv2 } from "@gfsdk/core/protocol";
import { createGrpcServer, type GrpcServer } from "@gfsdk/grpc";
import { Client, credentials } from "@grpc/grpc-js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutatedBytes } from "./byte-mutations.js";
import { badResponse } from "./check-response.js";
import { grpcErrorSource, unclearFailure } from "./clear-failure.js";
import { createErrorLog, createFuzzPlugins } from "./fuzz-plugins.js";
import { fuzzRuns, fuzzTimeoutMs } from "./fuzz-runs.js";
import { arbitraryMessage } from "./message-arbitrary.js";
import { rawGrpcCall } from "./raw-grpc-call.js";
import { rpcSeeds } from "./request-seeds.js";

const runs = fuzzRuns(80);
const grpcOk = 0;
const deadlineMs = 20_000;
const healthPath = "/pluginv2.Diagnostics/CheckHealth";
const validHealth = rpcSeeds.find((r) => r.path === healthPath)!.seeds[0]!;

describe.each(createFuzzPlugins())("createGrpcServer($name) with fuzzed request bytes", (target) => {
  let dir: string;
  let server: GrpcServer;
  let client: Client;
  const log = createErrorLog();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gfsdk-fuzz-grpc-"));
    server = await createGrpcServer(target.plugin, {
      listen: { network: "unix", path: join(dir, "plugin.sock") },
      logger: log.logger,
      metrics: false,
    });
    client = new Client(`unix:${server.address}`, credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await server?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has seeds for every pluginv2 RPC", () => {
    const methods = [
      pluginv2.Data,
      pluginv2.Diagnostics,
      pluginv2.Resource,
      pluginv2.Stream,
      pluginv2.AdmissionControl,
      pluginv2.ResourceConversion,
    ]
      .flatMap((s) => s.methods.map((m) => `/${s.typeName}/${m.name}`))
      .sort();
    expect(rpcSeeds.map((r) => r.path).sort()).toEqual(methods);
  });

  for (const rpc of rpcSeeds) {
    const streaming = rpc.method.methodKind === "server_streaming";
    const requests = fc.oneof(
      { weight: 3, arbitrary: mutatedBytes(rpc.seeds) },
      { weight: 2, arbitrary: arbitraryMessage(rpc.method.input).map((m) => toBinary(rpc.method.input, m)) },
    );
    it(
      `${rpc.method.name} answers OK or a clear error, then still serves`,
      async () => {
        await fc.assert(
          fc.asyncProperty(requests, async (request) => {
            target.violations.length = 0;
            log.errors.length = 0;
            const outcome = await rawGrpcCall(client, rpc.path, request, {
              streaming,
              deadlineMs,
              // RunStream never ends by itself on testdata: its first packet is the answer.
              stopAfterFirst: rpc.method.name === "RunStream",
            });
            if (outcome.code === grpcOk || (outcome.code === Code.Canceled && outcome.cancelledAfterFirst)) {
              expect(badResponse(rpc.method, outcome.messages)).toBeUndefined();
            } else {
              expect(
                unclearFailure(outcome.code, outcome.details, grpcErrorSource(outcome.metadata)),
              ).toBeUndefined();
            }
            expect(target.violations).toEqual([]);
            expect(log.errors).toEqual([]);
          }),
          { numRuns: runs },
        );
        const health = await rawGrpcCall(client, healthPath, validHealth, { streaming: false, deadlineMs });
        expect(health.code).toBe(grpcOk);
        expect(fromBinary(pluginv2.CheckHealthResponseSchema, health.messages[0]!).message).toBe(
          target.healthyMessage,
        );
      },
      fuzzTimeoutMs(runs, 500),
    );
  }
});
