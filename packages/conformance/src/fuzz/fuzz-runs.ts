/** The environment variable that sets how many inputs each fuzz property tries. */
export const fuzzRunsEnvName = "GFSDK_FUZZ_RUNS";

/**
 * How many inputs a fuzz property tries: `defaultRuns` in the bounded run of `npm test`, or
 * `GFSDK_FUZZ_RUNS` × `scale` (at least 1) when that variable is set, for long runs. `scale` lets
 * a costly target (one that starts a server per input) run fewer inputs than a cheap decoder.
 */
export function fuzzRuns(defaultRuns: number, scale = 1): number {
  const raw = process.env[fuzzRunsEnvName];
  if (raw === undefined || raw.trim() === "") return defaultRuns;
  const runs = Number(raw);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`${fuzzRunsEnvName} must be a positive integer, got ${JSON.stringify(raw)}`);
  return Math.max(1, Math.round(runs * scale));
}

/**
 * The vitest timeout of a fuzz test: 60 s in the bounded run, or `runs` × `perRunMs` plus a minute
 * in a long run, so a long run is bounded by its inputs rather than by the default test timeout.
 */
export function fuzzTimeoutMs(runs: number, perRunMs: number): number {
  const raw = process.env[fuzzRunsEnvName];
  if (raw === undefined || raw.trim() === "") return 60_000;
  return 60_000 + runs * perRunMs;
}
