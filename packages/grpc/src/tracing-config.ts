/** The samplers Grafana can ask for in `GF_INSTANCE_OTLP_SAMPLER_TYPE` (`""` is `const`). */
export type SamplerType = "const" | "probabilistic" | "rateLimiting" | "remote";

/** The propagators `GF_INSTANCE_OTLP_PROPAGATION` can list. */
export type PropagatorName = "w3c" | "jaeger";

/** Tracing as Grafana configures it for its plugins (brief 6.2, the Go SDK's `getTracingConfig`). */
export interface TracingConfig {
  /** The OTLP/gRPC receiver, `host:port`, spoken to without TLS (as the Go SDK's exporter). */
  address: string;
  /** The propagators, in order; empty: W3C Trace Context and Baggage. */
  propagators: PropagatorName[];
  sampler: SamplerType;
  /** `const`: ≥1 samples all, ≤0 none; `probabilistic`: the ratio; `rateLimiting`: spans a second; `remote`: the initial ratio. */
  samplerParam: number;
  /** The Jaeger remote sampling URL (`http://host:5778/sampling`), for `remote`. */
  samplerRemoteUrl: string;
  /** What was wrong in the variables and how it was read instead, for a warning. */
  warnings: string[];
}

const samplerTypes: Record<string, SamplerType> = {
  "": "const",
  const: "const",
  probabilistic: "probabilistic",
  rateLimiting: "rateLimiting",
  remote: "remote",
};

/**
 * Reads Grafana's tracing variables: tracing is on iff `GF_INSTANCE_OTLP_ADDRESS` is set and not
 * empty. An unparsable `GF_INSTANCE_OTLP_SAMPLER_PARAM` reads as 1.0, as the Go SDK does. Throws
 * a clear error for what the Go SDK refuses too: an unknown sampler or propagator, a `const` param
 * strictly between 0 and 1.
 */
export function readTracingConfig(env: Record<string, string | undefined>): TracingConfig | undefined {
  const address = env.GF_INSTANCE_OTLP_ADDRESS?.trim();
  if (!address) return undefined;
  const warnings: string[] = [];
  const propagators: PropagatorName[] = [];
  for (const name of (env.GF_INSTANCE_OTLP_PROPAGATION ?? "").split(",")) {
    const trimmed = name.trim();
    if (trimmed === "") continue;
    if (trimmed !== "w3c" && trimmed !== "jaeger") {
      throw new Error(
        `unsupported OpenTelemetry propagator "${trimmed}" in GF_INSTANCE_OTLP_PROPAGATION (w3c, jaeger)`,
      );
    }
    propagators.push(trimmed);
  }
  const typeText = env.GF_INSTANCE_OTLP_SAMPLER_TYPE ?? "";
  const sampler = samplerTypes[typeText];
  if (!sampler) {
    throw new Error(
      `invalid GF_INSTANCE_OTLP_SAMPLER_TYPE "${typeText}" (const, probabilistic, rateLimiting, remote)`,
    );
  }
  const paramText = env.GF_INSTANCE_OTLP_SAMPLER_PARAM ?? "";
  let samplerParam = paramText.trim() === "" ? Number.NaN : Number(paramText);
  if (!Number.isFinite(samplerParam)) {
    warnings.push(
      `could not parse GF_INSTANCE_OTLP_SAMPLER_PARAM "${paramText}" as a number, defaulting to 1.0`,
    );
    samplerParam = 1;
  }
  if (sampler === "const" && samplerParam > 0 && samplerParam < 1) {
    throw new Error(
      `invalid GF_INSTANCE_OTLP_SAMPLER_PARAM ${paramText} for the const sampler: must be 0 or 1`,
    );
  }
  return {
    address,
    propagators,
    sampler,
    samplerParam,
    samplerRemoteUrl: env.GF_INSTANCE_OTLP_SAMPLER_REMOTE_URL ?? "",
    warnings,
  };
}
