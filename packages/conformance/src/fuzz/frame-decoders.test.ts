// Fuzzes the frame decoders of @gfsdk/dataframe: frameFromArrow with mutated Arrow IPC files
// (testdata's frames, random frames of every field type, the Go SDK's golden frame) and arbitrary
// bytes; frameFromJSON with mutated frame JSON as text, bytes and parsed objects, data-only JSON
// against a schema, and arbitrary JSON values. Each input must give a frame that encodes again, or a
// FrameDecodeError, within a time bound.
// Long run: GFSDK_FUZZ_RUNS=20000 npx vitest run packages/conformance/src/fuzz/frame-decoders.test.ts
// (or node tools/scripts/fuzz.ts --runs 20000).
import {
  type Frame,
  FrameDecodeError,
  frameFromArrow,
  frameFromJSON,
  frameToArrow,
  frameToJSON,
} from "@gfsdk/dataframe";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { mutatedBytes, mutatedText } from "./byte-mutations.js";
import { type FrameSeeds, frameSeeds } from "./frame-seeds.js";
import { fuzzRuns, fuzzTimeoutMs } from "./fuzz-runs.js";

const runs = fuzzRuns(1000);
// Far above any decode of these small inputs; a decoder that spins or allocates per claimed row passes it.
const maxMsPerInput = 2_000;
const encoder = new TextEncoder();

/** Decodes with `decode`; fails unless it returns a frame that encodes again or throws a FrameDecodeError, in time. */
function expectFrameOrDecodeError(decode: () => Frame): void {
  const started = performance.now();
  let frame: Frame | undefined;
  try {
    frame = decode();
  } catch (error) {
    if (!(error instanceof FrameDecodeError))
      throw new Error(`not a FrameDecodeError: ${String(error)}`, { cause: error });
    expect(error.message).not.toBe("");
  }
  const elapsed = performance.now() - started;
  expect(elapsed, "decode time (ms)").toBeLessThan(maxMsPerInput);
  if (frame) {
    // A frame the decoder accepts is a frame: it goes back on the wire in both encodings.
    frameToArrow(frame);
    frameToJSON(frame);
  }
}

describe("frame decoders with fuzzed input", () => {
  let seeds: FrameSeeds;
  beforeAll(async () => {
    seeds = await frameSeeds();
  });

  it("has seeds in both encodings", () => {
    expect(seeds.arrow.length).toBeGreaterThan(20);
    expect(seeds.json.length).toBeGreaterThan(20);
    for (const bytes of seeds.arrow) frameFromArrow(bytes);
    for (const text of seeds.json) frameFromJSON(text);
  });

  it(
    "frameFromArrow returns a frame or throws FrameDecodeError for mutated and arbitrary bytes",
    () => {
      fc.assert(
        fc.property(mutatedBytes(seeds.arrow, 2048), (bytes) =>
          expectFrameOrDecodeError(() => frameFromArrow(bytes)),
        ),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 50),
  );

  it(
    "frameFromJSON returns a frame or throws FrameDecodeError for mutated JSON as text, bytes or parsed",
    () => {
      const inputs = fc.tuple(mutatedText(seeds.json), fc.constantFrom("text", "bytes", "object"));
      fc.assert(
        fc.property(inputs, ([text, as]) => {
          if (as === "text") return expectFrameOrDecodeError(() => frameFromJSON(text));
          if (as === "bytes") return expectFrameOrDecodeError(() => frameFromJSON(encoder.encode(text)));
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            return;
          }
          expectFrameOrDecodeError(() => frameFromJSON(parsed as object));
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 50),
  );

  it(
    "frameFromJSON returns a frame or throws FrameDecodeError for data-only JSON against a schema",
    () => {
      const dataOnly = seeds.json.map((text) =>
        JSON.stringify({ data: (JSON.parse(text) as { data?: unknown }).data ?? {} }),
      );
      const inputs = fc.tuple(mutatedText(dataOnly), fc.nat({ max: seeds.json.length - 1 }));
      fc.assert(
        fc.property(inputs, ([text, schemaIndex]) => {
          const schema = frameFromJSON(seeds.json[schemaIndex]!);
          expectFrameOrDecodeError(() => frameFromJSON(text, { schema }));
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 50),
  );

  it(
    "frameFromJSON returns a frame or throws FrameDecodeError for arbitrary JSON values",
    () => {
      const values = fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.record(
          { schema: fc.jsonValue({ maxDepth: 3 }), data: fc.jsonValue({ maxDepth: 3 }) },
          { requiredKeys: [] },
        ),
        fc.record({
          schema: fc.record(
            {
              fields: fc.array(
                fc.record(
                  {
                    name: fc.string(),
                    type: fc.constantFrom("number", "string", "time", "boolean", "other", "enum", "x"),
                    typeInfo: fc.record(
                      {
                        frame: fc.constantFrom(
                          "int8",
                          "uint64",
                          "float32",
                          "time.Time",
                          "json.RawMessage",
                          "bool",
                          "string",
                          "int64",
                          "bogus",
                        ),
                        nullable: fc.boolean(),
                      },
                      { requiredKeys: [] },
                    ),
                  },
                  { requiredKeys: [] },
                ),
                { maxLength: 3 },
              ),
            },
            { requiredKeys: [] },
          ),
          data: fc.record(
            {
              values: fc.array(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }), { maxLength: 3 }),
              nanos: fc.jsonValue({ maxDepth: 2 }),
              entities: fc.jsonValue({ maxDepth: 2 }),
            },
            { requiredKeys: [] },
          ),
        }),
      );
      fc.assert(
        fc.property(values, (value) => {
          expectFrameOrDecodeError(() => frameFromJSON(JSON.stringify(value)));
          if (value !== null && typeof value === "object")
            expectFrameOrDecodeError(() => frameFromJSON(value as object));
        }),
        { numRuns: runs },
      );
    },
    fuzzTimeoutMs(runs, 50),
  );
});
