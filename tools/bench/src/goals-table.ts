import type { BenchRun } from "./bench-results.js";
import { formatMs, formatRatio } from "./format-values.js";
import { markdownTable } from "./markdown-table.js";
import { median } from "./measure-op.js";

function verdict(ok: boolean): string {
  return ok ? "yes" : "**no**";
}

/** The goals, each with its target, the measured value and whether it is reached. */
export function goalsTable(run: BenchRun): string {
  const rows: string[][] = [];
  if (run.frames) {
    const { ts, go, memory } = run.frames;
    const pick = (report: typeof ts) =>
      report.results.find((r) => r.frame === "rows" && r.op === "encode-arrow");
    const t = pick(ts);
    const g = pick(go);
    if (t && g) {
      const ratio = t.medianMs / g.medianMs;
      rows.push([
        "(a) encode the 1M-row frame (Arrow) at least as fast as Go",
        "TS/Go time ≤ 1",
        `${formatMs(t.medianMs)} ms vs ${formatMs(g.medianMs)} ms = ${formatRatio(ratio)}`,
        verdict(ratio <= 1),
      ]);
    }
    const m = memory.find((r) => r.op === "encode-arrow" && r.runtime.startsWith("node"));
    if (m) {
      const ratio = m.peakRssDelta / m.rawBytes;
      rows.push([
        "(a) peak extra memory of that encode",
        "< 3× raw",
        `${(m.peakRssDelta / 1e6).toFixed(1)} MB = ${formatRatio(ratio)} raw`,
        verdict(ratio < 3),
      ]);
    }
  }
  if (run.roundTrip) {
    for (const { case: c, ts, go } of run.roundTrip.cases) {
      const ratio = ts.callsPerSec / go.callsPerSec;
      const small = c.query === "random_walk";
      const target = small ? 0.7 : 1;
      rows.push([
        `(b) ${small ? "small" : "large"} query throughput: ${c.query} ${c.rows.toLocaleString("en-US")}, concurrency ${c.concurrency}`,
        `TS/Go calls/s ≥ ${target}`,
        `${ts.callsPerSec} vs ${go.callsPerSec} = ${formatRatio(ratio)}`,
        verdict(ratio >= target),
      ]);
    }
    const cold = [...run.roundTrip.coldStart.ts].sort((a, b) => a - b);
    const handshake = median(cold);
    rows.push([
      "(b) handshake (spawn → handshake line, median)",
      "< 150 ms",
      `${formatMs(handshake)} ms (Go: ${formatMs(median([...run.roundTrip.coldStart.go].sort((a, b) => a - b)))} ms)`,
      verdict(handshake < 150),
    ]);
  }
  return [
    "**Goals**",
    markdownTable(["goal", "target", "measured", "reached"], rows, ["left", "left", "left", "left"]),
  ].join("\n\n");
}
