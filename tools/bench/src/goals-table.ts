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
    const handshake = median([...run.roundTrip.coldStart.ts].sort((a, b) => a - b));
    const goHandshake = median([...run.roundTrip.coldStart.go].sort((a, b) => a - b));
    rows.push([
      "[ship] the executable's cold start (spawn → handshake line, median)",
      "< 100 ms and ≤ 1.5× Go",
      `${formatMs(handshake)} ms (Go: ${formatMs(goHandshake)} ms) = ${formatRatio(handshake / goHandshake)}`,
      verdict(handshake < 100 && handshake / goHandshake <= 1.5),
    ]);
    const idle = run.roundTrip.idleRss;
    if (idle) {
      const tsMB = median([...idle.ts].sort((a, b) => a - b)) / 1024;
      const goMB = median([...idle.go].sort((a, b) => a - b)) / 1024;
      rows.push([
        "[ship] idle RSS after start (reported beside Go's)",
        "reported",
        `${tsMB.toFixed(0)} MB (Go: ${goMB.toFixed(0)} MB) = ${formatRatio(tsMB / goMB)}`,
        "–",
      ]);
    }
  }
  return [
    "**Goals**",
    markdownTable(["goal", "target", "measured", "reached"], rows, ["left", "left", "left", "left"]),
  ].join("\n\n");
}
