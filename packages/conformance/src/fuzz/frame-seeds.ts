import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pluginv2 } from "@gfsdk/core/protocol";
import { frameToArrow, frameToJSONString } from "@gfsdk/dataframe";
import { createRandomFrame } from "@gfsdk/dataframe/testing";
import { testdataPlugin } from "@gfsdk/example-testdata";
import { createInProcessClient } from "@gfsdk/in-process";
import { query, testdataContext } from "../requests.js";

/** Valid encodings of frames: what the decoders are fuzzed from. */
export interface FrameSeeds {
  arrow: Uint8Array[];
  json: string[];
}

// The Go SDK's encodings of its all-types frame, beside the repository when present.
const goldenDir = resolve(import.meta.dirname, "../../../../../shared/protocol/golden");
const decoder = new TextDecoder();

/**
 * Frames testdata answers (all_types and random_walk, Arrow and JSON), random frames that cover
 * every field type (plain and nullable, with labels, config and meta) in both encodings, and the
 * Go SDK's golden all-types frame when present.
 */
export async function frameSeeds(randomFrames = 24): Promise<FrameSeeds> {
  const seeds: FrameSeeds = { arrow: [], json: [] };
  const client = createInProcessClient(testdataPlugin);
  try {
    for (const format of [pluginv2.DataFrameFormat.ARROW, pluginv2.DataFrameFormat.JSON]) {
      const response = await client.data.queryData({
        pluginContext: testdataContext(),
        queries: [
          query("A", "all_types", {}),
          query("B", "random_walk", { seriesCount: 2, seed: 1 }, { maxDataPoints: 5n }),
        ],
        format,
      });
      for (const r of Object.values(response.responses)) {
        for (const frame of r.frames) {
          if (format === pluginv2.DataFrameFormat.JSON) seeds.json.push(decoder.decode(frame));
          else seeds.arrow.push(frame);
        }
      }
    }
  } finally {
    await client.close();
  }
  for (let seed = 1; seed <= randomFrames; seed++) {
    const frame = createRandomFrame(seed, { coverAllTypes: seed % 2 === 0, rows: seed % 5 });
    seeds.arrow.push(frameToArrow(frame));
    seeds.json.push(frameToJSONString(frame));
  }
  const golden = (name: string) => resolve(goldenDir, name);
  if (existsSync(golden("all_types.golden.arrow")))
    seeds.arrow.push(new Uint8Array(readFileSync(golden("all_types.golden.arrow"))));
  if (existsSync(golden("all_types.golden.json")))
    seeds.json.push(readFileSync(golden("all_types.golden.json"), "utf8"));
  return seeds;
}
