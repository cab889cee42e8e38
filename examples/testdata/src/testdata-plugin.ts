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
import { type QueryAnswer, writeChunkedAnswer } from "./chunked-answer.js";
import { convertObjects, mutateObject, parseObject, validateObject } from "./kubernetes-object.js";
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

/** Model of `error`. */
interface ErrorModel {
  source?: string;
  status?: number;
  message?: string;
}

function randomWalkAnswer(query: DataQuery<RandomWalkModel>) {
  return randomWalkFrames(query, randomWalkOptions(query, "random_walk"));
}

async function slowAnswer(query: DataQuery<RandomWalkModel>, signal: AbortSignal) {
  const options = randomWalkOptions(query, "slow");
  await abortableSleep(
    integerField(query.model, "ms", { queryType: "slow", min: 0, max: 600_000, fallback: 0 }),
    signal,
  );
  return randomWalkFrames(query, options);
}

function rowsAnswer(query: DataQuery<{ rows?: number }>) {
  const rows = integerField(query.model, "rows", { queryType: "rows", min: 0, max: maxRows, fallback: 0 });
  return [rowsFrame(rows, frameTimeRange(query.timeRange, "rows"))];
}

function errorAnswer(query: DataQuery<ErrorModel>) {
  const source = choiceField(query.model, "source", "error", ["plugin", "downstream"], "plugin");
  const status = integerField(query.model, "status", {
    queryType: "error",
    min: 100,
    max: 599,
    fallback: 500,
  });
  const message = query.model.message;
  if (message !== undefined && typeof message !== "string")
    throw new PluginError(`error.message must be a string, got ${JSON.stringify(message)}`, { status: 400 });
  return { error: message || `testdata error from ${source}`, status, errorSource: source };
}

/** What QueryData answers for one query of any type, for QueryChunkedData to cut into chunks. */
async function answerAny(query: DataQuery, signal: AbortSignal): Promise<QueryAnswer> {
  // typed<T>() models are not validated either: every field is checked by the answers themselves.
  switch (query.queryType) {
    case "random_walk":
      return randomWalkAnswer(query as DataQuery<RandomWalkModel>);
    case "slow":
      return slowAnswer(query as DataQuery<RandomWalkModel>, signal);
    case "all_types":
      return [allTypesFrame()];
    case "rows":
      return rowsAnswer(query as DataQuery<{ rows?: number }>);
    case "error":
      return errorAnswer(query as DataQuery<ErrorModel>);
  }
  throw new PluginError(`unknown queryType "${query.queryType}"`, { status: 400 });
}

/** An admission refused for an object it cannot read: code 400 and why. */
function refused(error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  return { allowed: false, result: { status: "Failure", code: 400, message } };
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
      return {
        status: HealthStatus.ERROR,
        message: "Data source is configured to fail",
        errorSource: "plugin",
      };
    }
    return { status: HealthStatus.OK, message: "Data source is working" };
  },

  // Every model field is checked before a generator runs (see query-model.ts).
  queryTypes: {
    random_walk: { model: typed<RandomWalkModel>(), query: randomWalkAnswer },
    slow: { model: typed<RandomWalkModel>(), query: (query, { signal }) => slowAnswer(query, signal) },
    all_types: { query: () => [allTypesFrame()] },
    rows: { model: typed<{ rows?: number }>(), query: rowsAnswer },
    error: { model: typed<ErrorModel>(), query: errorAnswer },
  },

  // The same answers as QueryData, as the contract cuts them into chunks (see chunked-answer.ts).
  queryChunkedData: (queries, writer, { signal }) =>
    writeChunkedAnswer(queries, writer, signal, (query) => answerAny(query, signal)),

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
      // The contract makes every packet a whole frame JSON (schema and data), so that any client
      // decodes each one alone; sendFrame would send the data only after the first.
      await sender.sendBytes(streamPacketFrame(new Date(), value).encode("json"));
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

  // Served for Grafana versions whose SDK still has AdmissionControl and ResourceConversion
  // (grafana-plugin-sdk-go before v0.300.0); objects are JSON.
  validateAdmission({ objectBytes }) {
    try {
      const verdict = validateObject(parseObject(objectBytes, "object"));
      if (verdict.allowed) return { allowed: true };
      return { allowed: false, result: { status: "Failure", code: verdict.code, message: verdict.message } };
    } catch (error) {
      return refused(error);
    }
  },

  mutateAdmission({ objectBytes }) {
    try {
      return { allowed: true, objectBytes: mutateObject(parseObject(objectBytes, "object")) };
    } catch (error) {
      return refused(error);
    }
  },

  convertObjects({ uid, objects, targetVersion }) {
    try {
      if (!targetVersion?.version) throw new PluginError("targetVersion.version is empty", { status: 400 });
      const converted = convertObjects(
        objects.map((o) => o.raw),
        targetVersion.group,
        targetVersion.version,
      );
      return {
        uid,
        result: { status: "Success" },
        objects: converted.map((raw) => ({ raw, contentType: "application/json" })),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { uid, result: { status: "Failure", code: 400, message } };
    }
  },
});
