// Timing of one operation, with the same run policy as the Go side (go/cmd/framebench/measure.go).

/** Warm up for `warmupRuns` runs and at least `warmupMs`, then measure at least `minRuns` runs and
 * at least `minMs`, at most `maxRuns` runs. */
export interface Plan {
  warmupRuns: number;
  warmupMs: number;
  minRuns: number;
  minMs: number;
  maxRuns: number;
}

/** The default policy. */
export const FULL_PLAN: Plan = { warmupRuns: 3, warmupMs: 300, minRuns: 9, minMs: 1000, maxRuns: 500 };

/** The policy of `--quick`. */
export const QUICK_PLAN: Plan = { warmupRuns: 1, warmupMs: 50, minRuns: 3, minMs: 200, maxRuns: 100 };

/** The measured duration of one operation. */
export interface Timing {
  runs: number;
  medianMs: number;
  minMs: number;
}

/** Keeps results reachable so that no run can be optimised away. */
export let sink: unknown;

/** Runs `op` under `plan` and returns its median and minimum time in milliseconds. */
export function measureOp(plan: Plan, op: () => unknown): Timing {
  let start = performance.now();
  for (let i = 0; i < plan.warmupRuns || performance.now() - start < plan.warmupMs; i++) sink = op();
  const samples: number[] = [];
  start = performance.now();
  while (
    samples.length < plan.minRuns ||
    (performance.now() - start < plan.minMs && samples.length < plan.maxRuns)
  ) {
    const t0 = performance.now();
    sink = op();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { runs: samples.length, medianMs: round3(median(samples)), minMs: round3(samples[0]!) };
}

/** Median of sorted numbers (0 for none). */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 === 1 ? sorted[n >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
