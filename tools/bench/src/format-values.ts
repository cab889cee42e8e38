// Number formats of the result tables.

/** Milliseconds with 3 significant digits (at least 0 decimals), e.g. `0.945`, `12.3`, `163`. */
export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** Bytes as decimal megabytes, e.g. `37.8`. */
export function formatMB(bytes: number): string {
  const mb = bytes / 1e6;
  return mb >= 100 ? mb.toFixed(0) : mb >= 1 ? mb.toFixed(1) : mb.toFixed(3);
}

/** Throughput in decimal MB/s of `bytes` in `ms`, e.g. `331`. */
export function formatRate(bytes: number, ms: number): string {
  if (ms <= 0) return "–";
  const rate = bytes / 1e6 / (ms / 1e3);
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
}

/** A ratio such as `0.70×`. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "–";
}
