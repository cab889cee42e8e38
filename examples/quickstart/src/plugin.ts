import { definePlugin, HealthStatus, typed } from "@gfsdk/core";
import { createFrame, numberField, timeField } from "@gfsdk/dataframe";

export const plugin = definePlugin({
  jsonData: typed<{ step?: number }>(), // or any Standard Schema: zod, valibot, arktype
  checkHealth: () => ({ status: HealthStatus.OK, message: "Data source is working" }),
  query(query, { jsonData }) {
    const step = jsonData.step ?? 1;
    const from = query.timeRange.from.getTime();
    const times = Array.from({ length: 10 }, (_, i) => new Date(from + i * 60_000));
    const values = times.map((_, i) => i * step);
    return [createFrame({ name: "ramp", fields: [timeField("time", times), numberField("value", values)] })];
  },
});
