import { describe, expect, it } from "vitest";
import { readTracingConfig } from "./tracing-config.js";

describe("readTracingConfig", () => {
  it("is off without GF_INSTANCE_OTLP_ADDRESS, or with it empty", () => {
    expect(readTracingConfig({})).toBeUndefined();
    expect(readTracingConfig({ GF_INSTANCE_OTLP_ADDRESS: "" })).toBeUndefined();
  });

  it("reads what Grafana sets (the param formatted %.6f)", () => {
    expect(
      readTracingConfig({
        GF_INSTANCE_OTLP_ADDRESS: "127.0.0.1:4317",
        GF_INSTANCE_OTLP_PROPAGATION: "w3c,jaeger",
        GF_INSTANCE_OTLP_SAMPLER_TYPE: "probabilistic",
        GF_INSTANCE_OTLP_SAMPLER_PARAM: "0.250000",
        GF_INSTANCE_OTLP_SAMPLER_REMOTE_URL: "",
      }),
    ).toEqual({
      address: "127.0.0.1:4317",
      propagators: ["w3c", "jaeger"],
      sampler: "probabilistic",
      samplerParam: 0.25,
      samplerRemoteUrl: "",
      warnings: [],
    });
  });

  it("defaults as the Go SDK: const sampler, an unparsable param 1.0 with a warning, no propagators", () => {
    const config = readTracingConfig({ GF_INSTANCE_OTLP_ADDRESS: "collector:4317" });
    expect(config).toMatchObject({ sampler: "const", samplerParam: 1, propagators: [] });
    expect(config?.warnings).toEqual([
      'could not parse GF_INSTANCE_OTLP_SAMPLER_PARAM "" as a number, defaulting to 1.0',
    ]);
    expect(
      readTracingConfig({ GF_INSTANCE_OTLP_ADDRESS: "c:1", GF_INSTANCE_OTLP_SAMPLER_PARAM: "lots" })
        ?.samplerParam,
    ).toBe(1);
  });

  it.each([
    [{ GF_INSTANCE_OTLP_PROPAGATION: "b3" }, /unsupported OpenTelemetry propagator "b3"/],
    [{ GF_INSTANCE_OTLP_SAMPLER_TYPE: "sometimes" }, /invalid GF_INSTANCE_OTLP_SAMPLER_TYPE "sometimes"/],
    [{ GF_INSTANCE_OTLP_SAMPLER_PARAM: "0.5" }, /must be 0 or 1/],
  ])("refuses what the Go SDK refuses: %o", (env, message) => {
    expect(() => readTracingConfig({ GF_INSTANCE_OTLP_ADDRESS: "c:1", ...env })).toThrow(message);
  });
});
