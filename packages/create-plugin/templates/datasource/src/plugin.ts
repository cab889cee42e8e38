import { definePlugin, HealthStatus, typed } from "@gfsdk/core";
import { createFrame, numberField, timeField } from "@gfsdk/dataframe";

/** The data source's settings: `jsonData`, edited on its page in Grafana. */
export interface Settings {
  /** How much the ramp climbs from one point to the next; default 1. */
  step?: number;
}

/** The data source: a health check, and a query that answers a ramp as a time series. */
export const plugin = definePlugin({
  // A plain type (no validation); any Standard Schema (zod, valibot, arktype) works here too.
  jsonData: typed<Settings>(),

  checkHealth({ jsonData }) {
    const step = jsonData.step ?? 1;
    if (typeof step !== "number" || !Number.isFinite(step)) {
      return { status: HealthStatus.ERROR, message: "step must be a number" };
    }
    return { status: HealthStatus.OK, message: "Data source is working" };
  },

  query(query, { jsonData }) {
    const step = jsonData.step ?? 1;
    const from = query.timeRange.from.getTime();
    const times = Array.from({ length: 10 }, (_, i) => new Date(from + i * 60_000));
    const values = times.map((_, i) => i * step);
    return [createFrame({ name: "ramp", fields: [timeField("time", times), numberField("value", values)] })];
  },
});
