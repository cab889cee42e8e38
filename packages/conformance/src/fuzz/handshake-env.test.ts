// Fuzzes the go-plugin handshake environment: parseGoPluginEnv with arbitrary PLUGIN_* values and
// magic cookies, and serve() itself (testdata, everything injected: env, stdout, stderr, exit) with
// fuzzed PLUGIN_* and GF_PLUGIN_GRPC_ADDRESS_* variables, socket dirs and groups, client certificates.
// Long run: GFSDK_FUZZ_RUNS=5000 npx vitest run packages/conformance/src/fuzz/handshake-env.test.ts
// (or node tools/scripts/fuzz.ts --runs 5000; serve() runs a tenth of the runs, it binds a socket each).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Plugin } from "@gfsdk/core";
import { testdataPlugin, testdataPluginId } from "@gfsdk/example-testdata";
import { serve, standaloneAddressEnvName } from "@gfsdk/grpc";
import { negotiateProtocolVersion, parseGoPluginEnv } from "@gfsdk/grpc/protocol";
import { createHostCertificate } from "@gfsdk/grpc/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createErrorLog } from "./fuzz-plugins.js";
import { fuzzRuns, fuzzTimeoutMs } from "./fuzz-runs.js";

const parseRuns = fuzzRuns(1000);
const serveRuns = fuzzRuns(30, 0.1);

const numberish = fc.oneof(
  fc.constantFrom(
    "0",
    "1",
    "2",
    "10000",
    "25000",
    "65535",
    "65536",
    "-1",
    " 10 ",
    "010",
    "1e3",
    "0x10",
    "1.5",
    "",
    " ",
  ),
  fc.constantFrom("１２", "99999999999999999999", "2,", ",2", "1, x,3", "2\n", "NaN", "Infinity"),
  fc.nat({ max: 70_000 }).map(String),
  fc.string({ maxLength: 6 }),
);
const pluginEnv = fc.record(
  {
    grafana_plugin_type: fc.oneof(
      { weight: 6, arbitrary: fc.constant("datasource") },
      { weight: 1, arbitrary: fc.constantFrom("app", "Datasource", "datasource ", "") },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    PLUGIN_PROTOCOL_VERSIONS: fc.oneof(
      numberish,
      fc.array(numberish, { maxLength: 4 }).map((v) => v.join(",")),
    ),
    PLUGIN_MIN_PORT: numberish,
    PLUGIN_MAX_PORT: numberish,
    PLUGIN_UNIX_SOCKET_DIR: fc.oneof(
      fc.constantFrom("", "/nonexistent/gfsdk", "relative/dir", "/dev/null"),
      fc.string({ maxLength: 6 }),
    ),
    PLUGIN_UNIX_SOCKET_GROUP: fc.oneof(
      fc.constantFrom("", "0", "root", "no-such-group-gfsdk", "99999", "-1"),
      fc.string({ maxLength: 6 }),
    ),
    PLUGIN_CLIENT_CERT: fc.oneof(
      fc.constantFrom("", "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"),
      fc.string({ maxLength: 12 }),
    ),
  },
  { requiredKeys: ["grafana_plugin_type"] },
);

describe("parseGoPluginEnv with fuzzed environments", () => {
  it(
    "gives ports 0–65535 with min ≤ max, integer versions or none, and the cookie check; or an error naming the variable",
    () => {
      fc.assert(
        fc.property(pluginEnv, (env) => {
          let parsed: ReturnType<typeof parseGoPluginEnv>;
          try {
            parsed = parseGoPluginEnv(env);
          } catch (error) {
            expect(error).toBeInstanceOf(Error);
            expect((error as Error).message).toMatch(/PLUGIN_M(IN|AX)_PORT/);
            return;
          }
          for (const port of [parsed.minPort, parsed.maxPort]) {
            expect(Number.isInteger(port) && port >= 0 && port <= 65535, `port ${port}`).toBe(true);
          }
          expect(parsed.minPort).toBeLessThanOrEqual(parsed.maxPort);
          expect(parsed.cookieMatches).toBe(env.grafana_plugin_type === "datasource");
          if (parsed.protocolVersions !== undefined) {
            expect(parsed.protocolVersions.length).toBeGreaterThan(0);
            for (const v of parsed.protocolVersions)
              expect(Number.isInteger(v) && v >= 0, `version ${v}`).toBe(true);
          }
          expect([2, undefined]).toContain(negotiateProtocolVersion(parsed.protocolVersions));
        }),
        { numRuns: parseRuns },
      );
    },
    fuzzTimeoutMs(parseRuns, 5),
  );
});

/** A writable stream that keeps what is written. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("serve(testdata) with fuzzed go-plugin environments", () => {
  let dir: string;
  let hostCert: string;
  const log = createErrorLog();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gfsdk-fuzz-serve-"));
    hostCert = (await createHostCertificate("P-256")).certificatePem;
  });
  const outcomes = { served: 0, refused: 0 };
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.GFSDK_FUZZ_RUNS) console.log(`serve outcomes: ${JSON.stringify(outcomes)}`);
  });

  it(
    "prints one handshake line and serves, or exits 1 with a reason on stderr and nothing on stdout",
    async () => {
      const env = fc.record({
        base: pluginEnv,
        socketDir: fc.constantFrom("fuzzed", "tmp", "long"),
        cert: fc.constantFrom("fuzzed", "valid"),
        locator: fc.option(
          fc.oneof(
            fc.constantFrom("127.0.0.1:1", ":5000", "host", "a|b:1", "x:1\nEVIL", "[::1]:65536"),
            fc.string({ maxLength: 10 }),
          ),
          {
            freq: 4,
          },
        ),
      });
      await fc.assert(
        fc.asyncProperty(env, async ({ base, socketDir, cert, locator }) => {
          log.errors.length = 0;
          const processEnv: Record<string, string | undefined> = { ...base };
          if (socketDir === "tmp") processEnv.PLUGIN_UNIX_SOCKET_DIR = dir;
          if (socketDir === "long") processEnv.PLUGIN_UNIX_SOCKET_DIR = join(dir, "x".repeat(120));
          if (cert === "valid") processEnv.PLUGIN_CLIENT_CERT = hostCert;
          if (locator !== null) processEnv[standaloneAddressEnvName(testdataPluginId)] = locator;
          const stdout = sink();
          const stderr = sink();
          const exits: number[] = [];
          const result = await serve(testdataPlugin as unknown as Plugin, {
            pluginId: testdataPluginId,
            argv: [],
            env: processEnv,
            stdout: stdout.stream,
            stderr: stderr.stream,
            exit: (code) => exits.push(code),
            logger: log.logger,
            pluginDir: join(dir, "no-plugin-dir"),
            network: "unix",
            watchIntervalMs: 50,
          }).then(
            (server) => ({ server }),
            (error: unknown) => ({ error }),
          );
          outcomes["error" in result ? "refused" : "served"]++;
          if ("error" in result) {
            expect(String(result.error)).toMatch(/exited with status 1/);
            expect(exits).toEqual([1]);
            expect(stdout.text()).toBe("");
            expect(stderr.text().trim()).not.toBe("");
            expect(stderr.text().trimEnd().split("\n")).toHaveLength(1);
          } else {
            const { server } = result;
            expect(stdout.text()).toBe(`${server.handshake}\n`);
            expect(server.handshake).toMatch(/^1\|2\|(unix|tcp)\|[^|\r\n]+\|grpc\|[^|\r\n]*$/);
            expect(exits).toEqual([]);
            await server.shutdown();
            expect(exits).toEqual([0]);
          }
          expect(log.errors).toEqual([]);
        }),
        { numRuns: serveRuns },
      );
    },
    fuzzTimeoutMs(serveRuns, 2_000),
  );
});
