import { PluginError } from "@gfsdk/core";

const unitMs = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
} as const;

/**
 * Parses an interval as Grafana's SQL data sources write it in `$__timeGroup(col, '5m')`: a whole
 * number and a unit (`ms`, `s`, `m`, `h`, `d`, `w`, `y`), optionally quoted, or several of them
 * (`1h30m`). Returns milliseconds. Throws a 400 PluginError naming the text when it is not one.
 */
export function parseInterval(text: string): number {
  const unquoted = text.trim().replace(/^(['"])(.*)\1$/, "$2");
  const parts = [...unquoted.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== unquoted)
    throw new PluginError(
      `invalid interval ${JSON.stringify(text.trim())}: expected a number and a unit (ms, s, m, h, d, w, y), like '5m'`,
      { status: 400 },
    );
  return parts.reduce((ms, [, n, unit]) => ms + Number(n) * unitMs[unit as keyof typeof unitMs], 0);
}

/**
 * Formats an interval in milliseconds the way Grafana's `gtime.FormatInterval` does for
 * `$__interval`: the largest whole unit among y, d, h, m, s, ms (`90000` → `1m`); below 1 ms, `1ms`.
 */
export function formatInterval(ms: number): string {
  for (const unit of ["y", "d", "h", "m", "s", "ms"] as const) {
    if (ms >= unitMs[unit]) return `${Math.floor(ms / unitMs[unit])}${unit}`;
  }
  return "1ms";
}
