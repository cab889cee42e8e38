import { type Attributes, type Context, type Link, type SpanKind, trace } from "@opentelemetry/api";
import { type Sampler, SamplingDecision, type SamplingResult } from "@opentelemetry/sdk-trace";

/**
 * Samples at most `perSecond` root spans a second, with a burst of `max(perSecond, 1)`: the Go
 * SDK's `rateLimiter` (a token bucket), which Grafana's `rateLimiting` sampler type selects.
 * Written by hand: OpenTelemetry JS ships no rate-limiting sampler (only Jaeger's remote sampler
 * knows the strategy, and only from a sampling server).
 */
export class RateLimitingSampler implements Sampler {
  readonly #perSecond: number;
  readonly #max: number;
  #balance: number;
  #lastTick: number;
  readonly #now: () => number;

  /** `now` returns milliseconds; default `performance.now`. */
  constructor(perSecond: number, now: () => number = () => performance.now()) {
    this.#perSecond = perSecond;
    this.#max = Math.max(perSecond, 1);
    this.#balance = this.#max;
    this.#now = now;
    this.#lastTick = now();
  }

  shouldSample(
    context: Context,
    _traceId?: string,
    _spanName?: string,
    _spanKind?: SpanKind,
    _attributes?: Attributes,
    _links?: Link[],
  ): SamplingResult {
    const traceState = trace.getSpanContext(context)?.traceState;
    if (this.#balance < 1) {
      const now = this.#now();
      const elapsedSeconds = (now - this.#lastTick) / 1000;
      this.#lastTick = now;
      this.#balance = Math.min(this.#max, this.#balance + elapsedSeconds * this.#perSecond);
    }
    if (this.#balance >= 1) {
      this.#balance--;
      return { decision: SamplingDecision.RECORD_AND_SAMPLED, traceState };
    }
    return { decision: SamplingDecision.NOT_RECORD, traceState };
  }

  toString(): string {
    return `RateLimitingSampler{${this.#perSecond}}`;
  }
}
