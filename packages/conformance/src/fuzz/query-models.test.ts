// Fuzzes testdata's query JSON models through the in-process client (the same protobuf
// serialization as the network): arbitrary models for every queryType (random_walk, slow, rows,
// error, all_types, unknown ones), JSON that is not an object or not JSON, arbitrary time ranges,
// maxDataPoints and formats; the frames of every answer are decoded.
// Long run: GFSDK_FUZZ_RUNS=5000 npx vitest run packages/conformance/src/fuzz/query-models.test.ts
// (or node tools/scripts/fuzz.ts --runs 5000).

import { pluginv2 } from "@gfsdk/core/protocol";
import { frameFromArrow, frameFromJSON } from "@gfsdk/dataframe";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { createInProcessClient } from "@gfsdk/in-process";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { testdataContext } from "../requests.js";
import { createErrorLog } from "./fuzz-plugins.js";
import { fuzzRuns, fuzzTimeoutMs } from "./fuzz-runs.js";

const runs = fuzzRuns(300);
const encoder = new TextEncoder();

const queryTypes = ["random_walk", "slow", "rows", "error", "all_types"] as const;
const modelKeys = ["seriesCount", "seed", "rows", "ms", "source", "status", "message", "chunkRows"];

// Numbers that are not what a field accepts, next to ones that are (kept small: valid big values
// are slow by contract, e.g. rows up to 10,000,000 and slow.ms up to 600,000).
const oddNumbers = fc.constantFrom(
  -1,
  0,
  0.5,
  1.5,
  -0,
  99,
  100,
  599,
  600,
  1000,
  1001,
  10_000_001,
  600_001,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 63),
  1e300,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  404.5,
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -5, max: 1100 }),
  oddNumbers,
  fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d) || Math.abs(d) > 10_000_000),
  fc.constantFrom("plugin", "downstream", "5", "", "NaN", "1e3", "random_walk"),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== "number"),
);
// slow.ms must not be a valid long wait: only 0–20 ms, or values it refuses.
const msValue = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  oddNumbers.filter((n) => n > 600_000 || !Number.isInteger(n)),
  fc.string({ maxLength: 5 }),
);

const model: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(Object.fromEntries(modelKeys.map((k) => [k, k === "ms" ? msValue : anyValue])), {
      requiredKeys: [],
    }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  )
  .map(([known, extra]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(extra)) if (!modelKeys.includes(k)) out[k] = v;
    return Object.assign(out, known);
  });

const jsonBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 8, arbitrary: model.map((m) => encoder.encode(JSON.stringify(m))) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("", "null", "[]", "[1]", "5", '"x"', "{", '{"rows":', "\u0000", "{}garbage")
      .map((t) => encoder.encode(t)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 32 }) },
);

const epochMs = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 1_600_000_000_000n, max: 1_800_000_000_000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(0n, -1n, 8_640_000_000_000_000n, 8_640_000_000_000_001n) },
);

const query = fc.record({
  refId: fc.oneof(fc.constantFrom("A", "B", ""), fc.string({ maxLength: 6 })),
  queryType: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...queryTypes) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  ),
  json: jsonBytes,
  maxDataPoints: fc.oneof(
    { weight: 20, arbitrary: fc.bigInt({ min: -5n, max: 500n }) },
    { weight: 1, arbitrary: fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n)) },
  ),
  intervalMS: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  timeRange: fc.record({ fromEpochMS: epochMs, toEpochMS: epochMs }),
});

const request = fc.record({
  queries: fc.uniqueArray(query, { minLength: 1, maxLength: 4, selector: (q) => q.refId }),
  format: fc.constantFrom(
    pluginv2.DataFrameFormat.ARROW,
    pluginv2.DataFrameFormat.JSON,
    7 as pluginv2.DataFrameFormat,
  ),
});

/** Why the answer to `q` breaks the contract, or undefined. */
function badAnswer(
  q: { queryType: string; json: Uint8Array },
  r: pluginv2.DataResponse | undefined,
): string | undefined {
  if (!r) return "no response for the refId";
  if (!Number.isInteger(r.status) || r.status < 100 || r.status > 599) return `status ${r.status}`;
  if (r.status === 200 && q.queryType !== "error")
    return r.error === "" ? undefined : `200 with error ${JSON.stringify(r.error)}`;
  if (r.error.trim() === "") return `status ${r.status} without an error`;
  if (q.queryType === "error" && !/must be|invalid query JSON/.test(r.error)) return undefined; // the status it was asked for
  // Anything else that fails is a bad request: a 400 from the plugin naming what is wrong.
  if (r.status !== 400 || r.errorSource !== "plugin")
    return `status ${r.status} (${r.errorSource}): ${r.error}`;
  const named = [...modelKeys, "queryType", "query JSON", "timeRange", "maxDataPoints"].some((name) =>
    r.error.includes(name),
  );
  return named ? undefined : `a 400 that names nothing: ${r.error}`;
}

describe("testdata QueryData with fuzzed query models (in-process)", () => {
  const log = createErrorLog();
  const client = createInProcessClient(testdataPlugin, { logger: log.logger });
  afterAll(() => client.close());

  it(
    "answers every refId with 200 and frames that decode, or a status 100–599 with an error naming the problem",
    async () => {
      await fc.assert(
        fc.asyncProperty(request, async ({ queries, format }) => {
          log.errors.length = 0;
          const response = await client.data.queryData({ pluginContext: testdataContext(), queries, format });
          for (const q of queries) {
            const r = response.responses[q.refId];
            expect(badAnswer(q, r), `refId ${JSON.stringify(q.refId)} (${q.queryType})`).toBeUndefined();
            for (const bytes of r!.frames) {
              if (r!.format === pluginv2.DataFrameFormat.JSON) frameFromJSON(bytes);
              else frameFromArrow(bytes);
            }
          }
          expect(Object.keys(response.responses).sort()).toEqual(queries.map((q) => q.refId).sort());
          expect(log.errors).toEqual([]);
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 200),
  );
});
