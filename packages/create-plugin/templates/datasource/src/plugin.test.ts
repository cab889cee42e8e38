import { createPluginTester, fieldValues } from "@gfsdk/in-process/testing";
import { afterAll, describe, expect, it } from "vitest";
import { plugin } from "./plugin.js";

describe("plugin", () => {
  // Calls the plugin as Grafana would, with these data source settings unless a call says otherwise.
  const tester = createPluginTester(plugin, { settings: { jsonData: { step: 2 } } });
  afterAll(() => tester.close());

  it("reports a working data source", async () => {
    const health = await tester.checkHealth();
    expect(health.status).toBe("OK");
    expect(health.message).toBe("Data source is working");
  });

  it("reports a step that is not a number", async () => {
    // jsonData is whatever was saved in Grafana, not always what the Settings type says.
    const health = await tester.checkHealth({ settings: { jsonData: JSON.parse('{ "step": "steep" }') } });
    expect(health.status).toBe("ERROR");
    expect(health.message).toBe("step must be a number");
  });

  it("answers a ramp of ten points a minute apart, climbing by step", async () => {
    const result = await tester.query({
      timeRange: { from: new Date("2024-05-01T12:00:00Z"), to: new Date("2024-05-01T13:00:00Z") },
    });
    expect(result.status).toBe(200);
    expect(result.error).toBeUndefined();
    const [frame] = result.frames;
    expect(frame.name).toBe("ramp");
    expect(fieldValues(frame, "time")).toEqual(
      Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2024, 4, 1, 12, i))),
    );
    expect(fieldValues(frame, "value")).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it("uses the step of the data source that is queried", async () => {
    const result = await tester.query({ settings: { jsonData: { step: 0.5 } } });
    expect(fieldValues(result.frames[0], "value").slice(0, 3)).toEqual([0, 0.5, 1]);
  });
});
