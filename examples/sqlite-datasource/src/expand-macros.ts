import { PluginError } from "@gfsdk/core";
import { formatInterval, parseInterval } from "./interval.js";

/** What the macros of one query expand from. */
export interface MacroContext {
  /** The query's time range. */
  from: Date;
  to: Date;
  /** The query's interval in milliseconds (Grafana's `intervalMs`). */
  intervalMs: number;
}

type Macro = (args: string[], context: MacroContext) => string;

// Times are Unix epoch seconds (see the README, "Time"): a number SQLite compares and divides
// natively, whatever affinity the column has, and `unixepoch(text)` turns ISO text into one.
// Whole seconds, as Grafana's MySQL data source writes FROM_UNIXTIME(<seconds>).
const epochSeconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

function arity(name: string, args: string[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new PluginError(
      `macro $__${name} expects ${expected} argument${max === 1 ? "" : "s"}, got ${args.length}`,
      { status: 400 },
    );
  }
}

function column(name: string, args: string[]): string {
  if (args[0] === "") throw new PluginError(`macro $__${name} needs a column`, { status: 400 });
  return args[0]!;
}

function timeGroup(name: string, args: string[]): string {
  arity(name, args, 2, 3);
  if (args.length === 3)
    throw new PluginError(`macro $__${name}: filling missing intervals (a third argument) is not supported`, {
      status: 400,
    });
  const seconds = parseInterval(args[1]!) / 1000;
  if (seconds === 0) throw new PluginError(`macro $__${name}: the interval must not be 0`, { status: 400 });
  // A REAL divisor: SQLite divides integers by truncating, which would put -1 in the bucket of 0.
  const divisor = Number.isInteger(seconds) ? `${seconds}.0` : `${seconds}`;
  const bucket = `floor((${column(name, args)}) / ${divisor}) * ${seconds}`;
  // floor() gives a REAL: whole-second buckets are cast back so the time column stays an integer.
  return Number.isInteger(seconds) ? `CAST(${bucket} AS INTEGER)` : `(${bucket})`;
}

const macros: Record<string, Macro> = {
  timeFilter(args, { from, to }) {
    arity("timeFilter", args, 1);
    return `${column("timeFilter", args)} BETWEEN ${epochSeconds(from)} AND ${epochSeconds(to)}`;
  },
  timeFrom(args, { from }) {
    arity("timeFrom", args, 0);
    return epochSeconds(from);
  },
  timeTo(args, { to }) {
    arity("timeTo", args, 0);
    return epochSeconds(to);
  },
  timeGroup: (args) => timeGroup("timeGroup", args),
  timeGroupAlias: (args) => `${timeGroup("timeGroupAlias", args)} AS "time"`,
  // With times in epoch seconds, Grafana's unixEpoch macros are the same as the time macros.
  unixEpochFilter(args, context) {
    arity("unixEpochFilter", args, 1);
    return macros.timeFilter!(args, context);
  },
  unixEpochFrom: (args, context) => macros.timeFrom!(args, context),
  unixEpochTo: (args, context) => macros.timeTo!(args, context),
};

/** Names of the macros {@link expandMacros} knows, without `$__`. */
export const macroNames: readonly string[] = Object.keys(macros);

/**
 * The arguments of the call whose `(` is at `open`, split at top-level commas and trimmed, and the
 * index after its `)`. Parentheses and commas inside nested calls or quotes belong to an argument
 * (`$__timeGroup(coalesce(a, b), '5m')`), as in the Go SDK's sqlutil macro parser.
 */
function readArguments(sql: string, open: number, name: string): { args: string[]; end: number } {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = open + 1;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) {
      args.push(sql.slice(start, i).trim());
      // `$__timeFrom()` has no argument, not one empty one.
      return { args: args.length === 1 && args[0] === "" ? [] : args, end: i + 1 };
    } else if (c === "," && depth === 1) {
      args.push(sql.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new PluginError(`macro $__${name}: missing ")"`, { status: 400 });
}

/**
 * Expands the macros of Grafana's SQL data sources in `sql`, for SQLite with times in Unix epoch
 * seconds: first `$__interval_ms` (the interval in ms) and `$__interval` (`5m`, as Grafana writes
 * it), then `$__timeFilter(col)` → `col BETWEEN <from> AND <to>`, `$__timeFrom()`, `$__timeTo()`,
 * `$__timeGroup(col, '5m')` → the start of col's 5-minute bucket, `$__timeGroupAlias(col, '5m')`
 * (the same `AS "time"`) and the `$__unixEpoch…` equivalents. Throws a 400 PluginError for an
 * unknown macro, a wrong argument count or a bad interval.
 */
export function expandMacros(sql: string, context: MacroContext): string {
  // As Grafana's sqleng does, before the other macros, so `$__timeGroup(ts, $__interval)` works.
  const withIntervals = sql
    .replaceAll("$__interval_ms", String(Math.round(context.intervalMs)))
    .replaceAll("$__interval", formatInterval(context.intervalMs));
  let out = "";
  let last = 0;
  const pattern = /\$__(\w+)/g;
  for (let match = pattern.exec(withIntervals); match !== null; match = pattern.exec(withIntervals)) {
    const name = match[1]!;
    const open = pattern.lastIndex;
    const macro = Object.hasOwn(macros, name) ? macros[name] : undefined;
    if (withIntervals[open] !== "(") {
      if (macro !== undefined)
        throw new PluginError(`macro $__${name} needs its arguments in parentheses, like $__${name}(…)`, {
          status: 400,
        });
      continue; // `$__x` without a call is left to SQLite, as Grafana leaves it
    }
    if (macro === undefined) throw new PluginError(`unknown macro $__${name}`, { status: 400 });
    const { args, end } = readArguments(withIntervals, open, name);
    out += withIntervals.slice(last, match.index) + macro(args, context);
    last = end;
    pattern.lastIndex = end;
  }
  return out + withIntervals.slice(last);
}
