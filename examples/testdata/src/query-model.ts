import { PluginError, type TimeRange } from "@gfsdk/core";

/**
 * An integer field of a query model: `fallback` when absent, else an integer from `min` to `max`.
 * Anything else (a string, 1.5, a value out of range) is that query's 400 `plugin` error naming
 * the field: the contract says bad values never reach a generator and nothing is cut silently.
 */
export function integerField(
  model: object,
  name: string,
  range: { queryType: string; min: number; max: number; fallback: number },
): number {
  const value = (model as Record<string, unknown>)[name];
  if (value === undefined || value === null) return range.fallback;
  if (typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max)
    return value;
  throw new PluginError(
    `${range.queryType}.${name} must be an integer from ${range.min.toLocaleString("en-US")} to ` +
      `${range.max.toLocaleString("en-US")}, got ${JSON.stringify(value) ?? String(value)}`,
    { status: 400 },
  );
}

/** An optional integer field with no range: undefined when absent, else an integer (any size JavaScript holds exactly). */
export function optionalIntegerField(model: object, name: string, queryType: string): number | undefined {
  const value = (model as Record<string, unknown>)[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  throw new PluginError(
    `${queryType}.${name} must be an integer, got ${JSON.stringify(value) ?? String(value)}`,
    {
      status: 400,
    },
  );
}

/** A field that must be one of `choices` when given; `fallback` when absent. */
export function choiceField<const C extends string>(
  model: object,
  name: string,
  queryType: string,
  choices: readonly C[],
  fallback: C,
): C {
  const value = (model as Record<string, unknown>)[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as C;
  throw new PluginError(
    `${queryType}.${name} must be ${choices.map((c) => JSON.stringify(c)).join(" or ")}, got ${JSON.stringify(value)}`,
    { status: 400 },
  );
}

/** Most milliseconds from the epoch a frame's time field holds either way (int64 nanoseconds, years 1677 to 2262). */
const maxFrameTimeMs = 9_223_372_036_854;

/**
 * The query's time range, when a generator can put times of it in a frame: a range past what a
 * time field holds is that query's 400 `plugin` error naming `timeRange`, not a failure to encode.
 */
export function frameTimeRange(range: TimeRange, queryType: string): TimeRange {
  for (const [end, date] of [
    ["from", range.from],
    ["to", range.to],
  ] as const) {
    const ms = date.getTime();
    if (!(Math.abs(ms) <= maxFrameTimeMs)) {
      throw new PluginError(
        `${queryType}: timeRange.${end} ${date.toISOString()} is outside the times a data frame holds (years 1677 to 2262)`,
        { status: 400 },
      );
    }
  }
  return range;
}
