import { describe, expect, it } from "vitest";
import { GrafanaConfig } from "./grafana-config.js";

describe("GrafanaConfig", () => {
  it("reads Grafana's settings with typed accessors", () => {
    const config = new GrafanaConfig({
      GF_APP_URL: "http://grafana/",
      GF_CONCURRENT_QUERY_COUNT: "4",
      GF_INSTANCE_FEATURE_TOGGLES_ENABLE: "a, b",
    });
    expect(config.appUrl).toBe("http://grafana/");
    expect(config.concurrentQueryCount).toBe(4);
    expect(config.isFeatureEnabled("b")).toBe(true);
    expect(config.isFeatureEnabled("c")).toBe(false);
    expect(config.get("toString")).toBeUndefined();
    expect(config.equals(new GrafanaConfig(Object.fromEntries(config.entries())))).toBe(true);
    // Serialized, the values are hidden: they may hold secrets.
    expect(JSON.stringify(config)).not.toContain("grafana/");
  });
});
