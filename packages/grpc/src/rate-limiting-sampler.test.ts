import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { RateLimitingSampler } from "./rate-limiting-sampler.js";

describe("RateLimitingSampler", () => {
  const decide = (s: RateLimitingSampler) =>
    s.shouldSample(ROOT_CONTEXT, "t", "n", SpanKind.SERVER, {}, []).decision;

  it("samples a burst of perSecond, then perSecond a second as time passes", () => {
    let now = 0;
    const sampler = new RateLimitingSampler(2, () => now);
    expect([decide(sampler), decide(sampler), decide(sampler)]).toEqual([
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
    ]);
    now += 500; // one token
    expect([decide(sampler), decide(sampler)]).toEqual([
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
    ]);
    now += 10_000; // capped at the burst
    expect([decide(sampler), decide(sampler), decide(sampler)]).toEqual([
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
    ]);
  });

  it("allows one span at a rate below one a second", () => {
    let now = 0;
    const sampler = new RateLimitingSampler(0.5, () => now);
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler)).toBe(SamplingDecision.NOT_RECORD);
    now += 2000;
    expect(decide(sampler)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
