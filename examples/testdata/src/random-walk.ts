import type { DataQuery } from "@gfsdk/core";
import { createFrame, type Frame, numberField, timeField } from "@gfsdk/dataframe";
import { mulberry32 } from "./mulberry32.js";

/** What a `random_walk` (or `slow`) query asks for, checked. */
export interface RandomWalkOptions {
  /** 1 to 1,000. */
  seriesCount: number;
  /** Random when undefined. */
  seed?: number;
}

const nsPerMs = 1_000_000n;

/**
 * `seriesCount` random-walk series of at most `maxDataPoints` points (100 when 0), with strictly
 * increasing nanosecond times spread over the query's time range. The same seed and request give
 * the same values.
 */
export function randomWalkFrames(query: DataQuery<unknown>, options: RandomWalkOptions): Frame[] {
  const { seriesCount } = options;
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
  const fromNs = BigInt(query.timeRange.from.getTime()) * nsPerMs;
  const rangeNs = rangeNanos(query);
  const points = randomWalkPoints(query);
  const stepNs = points > 1 ? rangeNs / BigInt(points - 1) : 0n;
  const times = new BigInt64Array(points);
  for (let i = 0; i < points; i++) times[i] = fromNs + BigInt(i) * stepNs;

  const frames: Frame[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const random = mulberry32(seed + s * 7919);
    const values = new Float64Array(points);
    let value = random() * 100;
    for (let i = 0; i < points; i++) {
      value += random() - 0.5;
      values[i] = value;
    }
    frames.push(
      createFrame({
        name: seriesCount > 1 ? `random-walk-${s}` : "random-walk",
        refId: query.refId,
        fields: [
          timeField("time", times.slice()),
          numberField("value", values, { labels: seriesCount > 1 ? { series: String(s) } : undefined }),
        ],
        meta: { type: "timeseries-multi", typeVersion: [0, 1] },
      }),
    );
  }
  return frames;
}

function rangeNanos(query: DataQuery<unknown>): bigint {
  return BigInt(Math.max(0, query.timeRange.to.getTime() - query.timeRange.from.getTime())) * nsPerMs;
}

/** The points of each random-walk series: `maxDataPoints` (100 when 0, at most 1,000,000), fewer when the range has fewer nanoseconds. */
export function randomWalkPoints(query: DataQuery<unknown>): number {
  const wanted = query.maxDataPoints > 0 ? Math.min(query.maxDataPoints, 1_000_000) : 100;
  // Strictly increasing times inside the range need at least 1 ns between points.
  const rangeNs = rangeNanos(query);
  return Number(BigInt(wanted) > rangeNs + 1n ? rangeNs + 1n : BigInt(wanted));
}

/** One Live packet: a frame with one row of `time` and `value`. */
export function streamPacketFrame(time: Date, value: number): Frame {
  return createFrame({
    name: "random",
    fields: [timeField("time", [time]), numberField("value", Float64Array.of(value))],
  });
}
