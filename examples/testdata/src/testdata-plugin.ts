import {
  type DataQuery,
  definePlugin,
  HealthStatus,
  PluginError,
  PublishStreamStatus,
  SubscribeStreamStatus,
  typed,
} from "@gfsdk/core";
import { abortableSleep } from "./abortable-sleep.js";
import { allTypesFrame } from "./all-types-frame.js";
import { choiceField, frameTimeRange, integerField, optionalIntegerField } from "./query-model.js";
import {
  type RandomWalkOptions,
  randomWalkFrames,
  randomWalkPoints,
  streamPacketFrame,
} from "./random-walk.js";
import { callTestdataResource } from "./resources.js";
import { maxRows, rowsFrame } from "./rows-frame.js";

/** The plugin id of testdata, as in its plugin.json. */
export const testdataPluginId = "gfsdk-testdata-datasource";

/** Settings of a testdata data source. */
export interface TestdataJsonData {
  /** Makes CheckHealth report an error. */
  fail?: boolean;
}

/** Query model of `random_walk` and `slow`. */
export interface RandomWalkModel {
  seriesCount?: number;
  seed?: number;
  ms?: number;
}

/** The checked `seriesCount` and `seed` of a `random_walk` or `slow` query, once its time range fits a frame. */
function randomWalkOptions(query: DataQuery<RandomWalkModel>, queryType: string): RandomWalkOptions {
  frameTimeRange(query.timeRange, queryType);
  const seriesCount = integerField(query.model, "seriesCount", { queryType, min: 1, max: 1000, fallback: 1 });
  // As many values as the largest rows frame, at most: 1,000 series of 1,000,000 points would take 16 GB.
  const points = randomWalkPoints(query);
  if (seriesCount * points > maxRows) {
    throw new PluginError(
      `${queryType}: seriesCount ${seriesCount} × ${points} points (maxDataPoints) is more than ` +
        `${maxRows.toLocaleString("en-US")} values; ask for fewer series or points`,
      { status: 400 },
    );
  }
  return { seriesCount, seed: optionalIntegerField(query.model, "seed", queryType) };
}

/**
 * The testdata example datasource: generates data to exercise every part of the protocol, by the
 * fixed contract in the repository's conformance notes.
 */
export const testdataPlugin = definePlugin({
  // A plain type: the contract answers bad settings values itself (none are checked today).
  jsonData: typed<TestdataJsonData>(),

  checkHealth({ pluginContext }) {
    // A data source's setting: testdata sent app settings (a misconfigured host) stays healthy.
    if (pluginContext.dataSourceInstanceSettings?.jsonData.fail === true) {
      return { status: HealthStatus.ERROR, message: "Data source is configured to fail" };
    }
    return { status: HealthStatus.OK, message: "Data source is working" };
  },

  // Every model field is checked before a generator runs (see query-model.ts).
  queryTypes: {
    random_walk: {
      model: typed<RandomWalkModel>(),
      query: (query) => randomWalkFrames(query, randomWalkOptions(query, "random_walk")),
    },
    slow: {
      model: typed<RandomWalkModel>(),
      async query(query, { signal }) {
        const options = randomWalkOptions(query, "slow");
        await abortableSleep(
          integerField(query.model, "ms", { queryType: "slow", min: 0, max: 600_000, fallback: 0 }),
          signal,
        );
        return randomWalkFrames(query, options);
      },
    },
    all_types: { query: () => [allTypesFrame()] },
    rows: {
      model: typed<{ rows?: number }>(),
      query: (query) => [
        rowsFrame(
          integerField(query.model, "rows", { queryType: "rows", min: 0, max: 10_000_000, fallback: 0 }),
          frameTimeRange(query.timeRange, "rows"),
        ),
      ],
    },
    error: {
      model: typed<{ source?: string; status?: number; message?: string }>(),
      query(query) {
        const source = choiceField(query.model, "source", "error", ["plugin", "downstream"], "plugin");
        const status = integerField(query.model, "status", {
          queryType: "error",
          min: 100,
          max: 599,
          fallback: 500,
        });
        const message = query.model.message;
        if (message !== undefined && typeof message !== "string")
          throw new PluginError(`error.message must be a string, got ${JSON.stringify(message)}`, {
            status: 400,
          });
        return { error: message || `testdata error from ${source}`, status, errorSource: source };
      },
    },
  },

  callResource: callTestdataResource,

  subscribeStream({ path }) {
    return {
      status: path.startsWith("random/") ? SubscribeStreamStatus.OK : SubscribeStreamStatus.NOT_FOUND,
    };
  },

  async runStream({ path, data }, sender, { signal }) {
    if (!path.startsWith("random/")) return;
    const requested = Number((data as { intervalMs?: unknown } | undefined)?.intervalMs);
    const intervalMs = Number.isFinite(requested) && requested > 0 ? requested : 100;
    let value = 0;
    while (!signal.aborted) {
      value += Math.random() - 0.5;
      await sender.sendFrame(streamPacketFrame(new Date(), value));
      try {
        await abortableSleep(intervalMs, signal);
      } catch {
        return;
      }
    }
  },

  publishStream() {
    return { status: PublishStreamStatus.PERMISSION_DENIED };
  },
});
