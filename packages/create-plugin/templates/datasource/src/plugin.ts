import { definePlugin, HealthStatus } from "@gfsdk/core";
import { createFrame, numberField, timeField } from "@gfsdk/dataframe";

/** The data source's settings: `jsonData`, edited on its page in Grafana. */
export interface Settings {
  /** How much the ramp climbs from one point to the next; default 1. */
  step?: number;
}

/** The data source: a health check, and a query that answers a ramp as a time series. */
export const plugin = definePlugin<Settings>({
  checkHealth({ pluginContext }) {
    const step = pluginContext.dataSourceInstanceSettings?.jsonData.step ?? 1;
    if (typeof step !== "number" || !Number.isFinite(step)) {
      return { status: HealthStatus.ERROR, message: "step must be a number" };
    }
    return { status: HealthStatus.OK, message: "Data source is working" };
  },

  queryData(query, { pluginContext }) {
    const step = pluginContext.dataSourceInstanceSettings?.jsonData.step ?? 1;
    const from = query.timeRange.from.getTime();
    const times = Array.from({ length: 10 }, (_, i) => new Date(from + i * 60_000));
    const values = times.map((_, i) => i * step);
    return [createFrame({ name: "ramp", fields: [timeField("time", times), numberField("value", values)] })];
  },
});
