import {
  type DataQuery,
  definePlugin,
  HealthStatus,
  PublishStreamStatus,
  SubscribeStreamStatus,
} from "@gfsdk/core";
import { abortableSleep } from "./abortable-sleep.js";
import { allTypesFrame } from "./all-types-frame.js";
import { randomWalkFrames, streamPacketFrame } from "./random-walk.js";
import { callTestdataResource } from "./resources.js";
import { rowsFrame } from "./rows-frame.js";

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

/**
 * The testdata example datasource: generates data to exercise every part of the protocol, by the
 * fixed contract in the repository's conformance notes.
 */
export const testdataPlugin = definePlugin<TestdataJsonData>({
  checkHealth({ pluginContext }) {
    if (pluginContext.dataSourceInstanceSettings?.jsonData.fail === true) {
      return { status: HealthStatus.ERROR, message: "Data source is configured to fail" };
    }
    return { status: HealthStatus.OK, message: "Data source is working" };
  },

  queryData: {
    random_walk: (query: DataQuery<RandomWalkModel>) => randomWalkFrames(query),
    async slow(query: DataQuery<RandomWalkModel>, { signal }) {
      await abortableSleep(Math.max(0, Number(query.model.ms ?? 0)), signal);
      return randomWalkFrames(query);
    },
    all_types: () => [allTypesFrame()],
    rows: (query: DataQuery<{ rows?: number }>) => [
      rowsFrame(Math.max(0, Math.floor(Number(query.model.rows ?? 0))), query.timeRange),
    ],
    error(query: DataQuery<{ source?: string; status?: number; message?: string }>) {
      const source = query.model.source === "downstream" ? "downstream" : "plugin";
      return {
        error: query.model.message || `testdata error from ${source}`,
        status: query.model.status ?? 500,
        errorSource: source,
      };
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
