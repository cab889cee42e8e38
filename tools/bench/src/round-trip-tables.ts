import type { BenchRun, ColdStart } from "./bench-results.js";
import { formatMs, formatRatio } from "./format-values.js";
import { markdownTable } from "./markdown-table.js";
import { median } from "./measure-op.js";

type Cases = NonNullable<BenchRun["roundTrip"]>["cases"];

function mb(kb: number): string {
  return (kb / 1024).toFixed(0);
}

function spread(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return "–";
  return `${formatMs(median(sorted))} (${formatMs(sorted[0]!)}–${formatMs(sorted.at(-1)!)}, n=${sorted.length})`;
}

/**
 * The round trip tables: QueryData through the Go host (calls/s, latency, plugin RSS, TS/Go ratio
 * of calls/s), then cold start (spawn to handshake line, the host's spawn to READY, idle RSS).
 */
export function roundTripTables(cases: Cases, cold: ColdStart, idle?: ColdStart): string {
  const rows = cases.map(({ case: c, ts, go }) => [
    c.query === "rows" ? `rows ${c.rows.toLocaleString("en-US")}` : `random_walk ${c.rows}`,
    `${c.concurrency}`,
    `${ts.callsPerSec}`,
    `${go.callsPerSec}`,
    formatRatio(ts.callsPerSec / go.callsPerSec),
    `${formatMs(ts.p50ms)} / ${formatMs(go.p50ms)}`,
    `${formatMs(ts.p99ms)} / ${formatMs(go.p99ms)}`,
    `${mb(ts.pluginRssKB)} / ${mb(go.pluginRssKB)}`,
    `${mb(ts.pluginPeakRssKB)} / ${mb(go.pluginPeakRssKB)}`,
    `${(ts.avgResponseBytes / 1e3).toFixed(1)} / ${(go.avgResponseBytes / 1e3).toFixed(1)}`,
    `${ts.calls} / ${go.calls}`,
  ]);
  const table = markdownTable(
    [
      "query",
      "concurrency",
      "TS calls/s",
      "Go calls/s",
      "TS/Go",
      "p50 ms TS / Go",
      "p99 ms TS / Go",
      "RSS MB end TS / Go",
      "RSS MB peak TS / Go",
      "response kB TS / Go",
      "calls TS / Go",
    ],
    rows,
  );
  const handshakes = (pick: "ts" | "go"): number[] => cases.map((c) => c[pick].handshakeMs);
  const coldTable = markdownTable(
    [
      "plugin",
      "spawn → handshake line, ms: median (min–max, n)",
      "host spawn → gRPC READY, ms: median (min–max, n)",
      "RSS 1.5 s after start, no call, MB: median (min–max, n)",
    ],
    [
      [
        "TypeScript testdata",
        spread(cold.ts),
        spread(handshakes("ts")),
        idle ? spread(idle.ts.map((kb) => kb / 1024)) : "–",
      ],
      [
        "Go refplugin",
        spread(cold.go),
        spread(handshakes("go")),
        idle ? spread(idle.go.map((kb) => kb / 1024)) : "–",
      ],
    ],
  );
  return [
    "**QueryData round trips through the Go host** (Arrow; every response decoded by the Go SDK in the host, on the same 2 cores)",
    table,
    "**Cold start**",
    coldTable,
  ].join("\n\n");
}
