// Fuzzes the parsing of settings in the plugin context (core's PluginContextParser, reached
// through the in-process client): data source and app `jsonData` bytes (mutated JSON, arbitrary
// bytes, JSON that is not an object), `decryptedSecureJsonData` maps and `grafanaConfig` maps, with
// one data source uid reused so the settings cache is exercised.
// Long run: GFSDK_FUZZ_RUNS=5000 npx vitest run packages/conformance/src/fuzz/settings.test.ts
// (or node tools/scripts/fuzz.ts --runs 5000).
import { create } from "@bufbuild/protobuf";
import { definePlugin, HealthStatus, type PluginContext } from "@gfsdk/core";
import { pluginv2 } from "@gfsdk/core/protocol";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { createInProcessClient } from "@gfsdk/in-process";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { mutatedText } from "./byte-mutations.js";
import { createErrorLog } from "./fuzz-plugins.js";
import { fuzzRuns, fuzzTimeoutMs } from "./fuzz-runs.js";

const runs = fuzzRuns(300);
const encoder = new TextEncoder();

const jsonSeeds = [
  '{"fail":true}',
  "{}",
  '{"step":2,"nested":{"a":[1,2.5,null]},"url":"http://x"}',
  '{"fail":false,"x":"\\u00e9"}',
];
const jsonText = fc.oneof(
  { weight: 3, arbitrary: mutatedText(jsonSeeds) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "null",
      "[]",
      "5",
      '"s"',
      "true",
      '{"fail":true,"fail":false}',
      '{"__proto__":{"fail":true}}',
    ),
  },
);
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 16 }),
  fc.constantFrom("", "__proto__", "constructor", "a\u0000b"),
);
const stringMap = fc.dictionary(text, text, { maxKeys: 4 });
const configKeys = [
  "GF_APP_URL",
  "GF_CONCURRENT_QUERY_COUNT",
  "GF_INSTANCE_FEATURE_TOGGLES_ENABLE",
  "GF_USER_FACING_DEFAULT_ERROR",
  "GF_RESPONSE_LIMIT",
  "GF_SQL_ROW_LIMIT",
  "GF_SQL_MAX_OPEN_CONNS_DEFAULT",
];
const grafanaConfig = fc.dictionary(
  fc.oneof(fc.constantFrom(...configKeys), text),
  fc.oneof(text, fc.constantFrom("5", "-1", "1e999", " ", "a, b ,,c")),
  { maxKeys: 5 },
);

const settings = fc.record({
  jsonText,
  secrets: stringMap,
  grafanaConfig,
  app: fc.boolean(),
  lastUpdatedMS: fc.oneof(fc.constantFrom(1n, 2n, 3n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })),
});
type Settings = typeof settings extends fc.Arbitrary<infer T> ? T : never;

function pluginContext(s: Settings): pluginv2.PluginContext {
  const instance = {
    jsonData: encoder.encode(s.jsonText),
    decryptedSecureJsonData: s.secrets,
    lastUpdatedMS: s.lastUpdatedMS,
  };
  return create(pluginv2.PluginContextSchema, {
    orgId: 1n,
    pluginId: "gfsdk-testdata-datasource",
    grafanaConfig: s.grafanaConfig,
    ...(s.app
      ? { appInstanceSettings: instance }
      : { dataSourceInstanceSettings: { ...instance, uid: "one-uid", name: "fuzzed" } }),
  });
}

/** The jsonData a handler must see for `text`, or undefined when the settings must be refused. */
function expectedJsonData(text: string): object | undefined {
  if (text === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null) return {};
  return typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

describe("PluginContext settings parsing with fuzzed settings (in-process)", () => {
  const log = createErrorLog();
  // A holder, not a variable: the handler sets it during the awaited call.
  const captured: { context?: PluginContext } = {};
  const capture = createInProcessClient(
    definePlugin({
      checkHealth({ pluginContext }) {
        captured.context = pluginContext;
        const config = pluginContext.grafanaConfig;
        // Every accessor answers for any map Grafana might send.
        void [
          config.appUrl,
          config.concurrentQueryCount,
          config.userFacingDefaultError,
          config.responseLimit,
        ];
        void [
          config.sql,
          config.entries(),
          config.toJSON(),
          config.isFeatureEnabled("x"),
          [...config.featureToggles],
        ];
        return { status: HealthStatus.OK, message: "seen" };
      },
    }),
    { logger: log.logger },
  );
  const testdata = createInProcessClient(testdataPlugin, { logger: log.logger });
  afterAll(async () => {
    await capture.close();
    await testdata.close();
  });

  it(
    "hands handlers jsonData as the object sent (null as {}) and the secrets as sent, or refuses the settings naming jsonData",
    async () => {
      await fc.assert(
        fc.asyncProperty(settings, async (s) => {
          log.errors.length = 0;
          captured.context = undefined;
          const result = await capture.diagnostics.checkHealth({ pluginContext: pluginContext(s) });
          const expected = expectedJsonData(s.jsonText);
          if (expected === undefined) {
            expect(result.status).toBe(HealthStatus.ERROR);
            expect(result.message).toMatch(/jsonData/);
            expect(captured.context).toBeUndefined();
          } else {
            expect(result.message).toBe("seen");
            const seen = captured.context as PluginContext | undefined;
            const parsed = s.app ? seen?.appInstanceSettings : seen?.dataSourceInstanceSettings;
            expect(parsed?.jsonData).toEqual(expected);
            expect(parsed?.decryptedSecureJsonData).toEqual(s.secrets);
            expect(Object.keys(parsed ?? {})).not.toContain("decryptedSecureJsonData");
            expect(seen?.grafanaConfig.entries()).toEqual(Object.entries(s.grafanaConfig));
          }
          expect(log.errors).toEqual([]);
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 50),
  );

  it(
    "testdata CheckHealth is OK, ERROR for fail: true, or ERROR naming jsonData",
    async () => {
      await fc.assert(
        fc.asyncProperty(settings, async (s) => {
          const result = await testdata.diagnostics.checkHealth({ pluginContext: pluginContext(s) });
          const expected = expectedJsonData(s.jsonText) as { fail?: unknown } | undefined;
          if (expected === undefined) expect(result.message).toMatch(/jsonData/);
          else if (!s.app && expected.fail === true) expect(result.message).toMatch(/configured to fail/);
          else expect(result).toMatchObject({ status: HealthStatus.OK, message: "Data source is working" });
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 50),
  );
});
