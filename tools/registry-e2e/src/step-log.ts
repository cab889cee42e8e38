/** One timed step. */
export interface StepTiming {
  name: string;
  ms: number;
  ok: boolean;
}

/** Runs named steps and reports each one's duration on stderr. */
export interface StepLog {
  /** Runs `fn` as the step `name`, logging its start and its duration (also when it fails). */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The steps run so far. */
  timings(): readonly StepTiming[];
  /** A table of the steps run so far, for the end of a run. */
  summary(): string;
}

/**
 * Creates a {@link StepLog} whose lines start with `[prefix]`. It writes to stderr directly, not
 * through the console, so CI shows each line as the step ends even while vitest buffers test output.
 */
export function createStepLog(prefix: string): StepLog {
  const done: StepTiming[] = [];
  const write = (line: string) => process.stderr.write(`[${prefix}] ${line}\n`);
  return {
    async step(name, fn) {
      write(`${name} ...`);
      const start = performance.now();
      let ok = false;
      try {
        const result = await fn();
        ok = true;
        return result;
      } finally {
        const ms = Math.round(performance.now() - start);
        done.push({ name, ms, ok });
        write(`${name}: ${ok ? "done" : "FAILED"} in ${(ms / 1000).toFixed(1)} s`);
      }
    },
    timings: () => done,
    summary() {
      const width = Math.max(0, ...done.map((t) => t.name.length));
      const lines = done.map(
        (t) =>
          `  ${t.name.padEnd(width)}  ${(t.ms / 1000).toFixed(1).padStart(7)} s${t.ok ? "" : "  FAILED"}`,
      );
      const total = done.reduce((sum, t) => sum + t.ms, 0);
      return [
        `[${prefix}] steps:`,
        ...lines,
        `  ${"total".padEnd(width)}  ${(total / 1000).toFixed(1).padStart(7)} s`,
        "",
      ].join("\n");
    },
  };
}
