import type { Field } from "./field.js";
import { fieldConfigToJSONValue } from "./field-config.js";
import type { Frame } from "./frame.js";
import { frameMetaToJSONValue } from "./frame-meta.js";

/** Result of {@link framesEqual}: whether the frames are equal, and if not, where they first differ. */
export interface FramesEqualResult {
  equal: boolean;
  /** Human-readable location and values of the first difference. */
  difference?: string;
}

/**
 * Compares two frames semantically, as they would appear on the wire: name, refId (unset = empty),
 * meta and field configs as the Go SDK serialises them (so `typeVersion` defaults to `[0, 0]` and
 * NaN `min` equals null), labels, field names/types/nullability, and every value — NaN equals NaN,
 * nulls must match, times compare in nanoseconds, int64 exactly, JSON values structurally (key order
 * ignored). Storage placeholders under null rows are ignored.
 */
export function framesEqual(a: Frame, b: Frame): FramesEqualResult {
  const difference = findDifference(a, b);
  return difference === undefined ? { equal: true } : { equal: false, difference };
}

function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function findDifference(a: Frame, b: Frame): string | undefined {
  if (a.name !== b.name) return `name: ${show(a.name)} != ${show(b.name)}`;
  if ((a.refId ?? "") !== (b.refId ?? "")) return `refId: ${show(a.refId ?? "")} != ${show(b.refId ?? "")}`;
  const metaA = a.meta === undefined ? undefined : frameMetaToJSONValue(a.meta);
  const metaB = b.meta === undefined ? undefined : frameMetaToJSONValue(b.meta);
  const metaDiff = jsonDifference(metaA, metaB, "meta");
  if (metaDiff !== undefined) return metaDiff;
  if (a.fields.length !== b.fields.length) return `field count: ${a.fields.length} != ${b.fields.length}`;
  for (let i = 0; i < a.fields.length; i++) {
    const diff = fieldDifference(a.fields[i]!, b.fields[i]!);
    if (diff !== undefined) return `field[${i}] ${show(a.fields[i]!.name)}: ${diff}`;
  }
  return undefined;
}

function fieldDifference(a: Field, b: Field): string | undefined {
  if (a.name !== b.name) return `name ${show(a.name)} != ${show(b.name)}`;
  if (a.type !== b.type) return `type ${a.type} != ${b.type}`;
  if (a.nullable !== b.nullable) return `nullable ${a.nullable} != ${b.nullable}`;
  const labelsDiff = jsonDifference(a.labels, b.labels, "labels");
  if (labelsDiff !== undefined) return labelsDiff;
  const configA = a.config === undefined ? undefined : fieldConfigToJSONValue(a.config);
  const configB = b.config === undefined ? undefined : fieldConfigToJSONValue(b.config);
  const configDiff = jsonDifference(configA, configB, "config");
  if (configDiff !== undefined) return configDiff;
  if (a.length !== b.length) return `length ${a.length} != ${b.length}`;
  for (let row = 0; row < a.length; row++) {
    const x = a.at(row);
    const y = b.at(row);
    if (x === null || y === null) {
      if (x !== y) return `row ${row}: ${show(x)} != ${show(y)}`;
      continue;
    }
    if (a.type === "json") {
      const diff = jsonDifference(x, y, `row ${row}`);
      if (diff !== undefined) return diff;
    } else if (!sameScalar(x, y)) {
      return `row ${row}: ${show(x)} != ${show(y)}`;
    }
  }
  return undefined;
}

function sameScalar(x: unknown, y: unknown): boolean {
  if (typeof x === "number" && typeof y === "number") return x === y || (Number.isNaN(x) && Number.isNaN(y));
  return x === y;
}

function sameNumber(x: number | bigint, y: number | bigint): boolean {
  if (typeof x === typeof y) return sameScalar(x, y);
  const [n, big] = (typeof x === "number" ? [x, y] : [y, x]) as [number, bigint];
  return Number.isInteger(n) && BigInt(n) === big;
}

/** Structural JSON comparison (object key order ignored); returns where the values differ. */
function jsonDifference(x: unknown, y: unknown, path: string): string | undefined {
  if (x === y) return undefined;
  const numeric = (v: unknown): v is number | bigint => typeof v === "number" || typeof v === "bigint";
  if (numeric(x) && numeric(y)) return sameNumber(x, y) ? undefined : `${path}: ${show(x)} != ${show(y)}`;
  if (Array.isArray(x) && Array.isArray(y)) {
    if (x.length !== y.length) return `${path}: length ${x.length} != ${y.length}`;
    for (let i = 0; i < x.length; i++) {
      const diff = jsonDifference(x[i], y[i], `${path}[${i}]`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (
    typeof x === "object" &&
    typeof y === "object" &&
    x !== null &&
    y !== null &&
    !Array.isArray(x) &&
    !Array.isArray(y)
  ) {
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    // Undefined members are not serialised, so they count as missing.
    const keys = new Set([...Object.keys(xo), ...Object.keys(yo)]);
    for (const key of [...keys].sort()) {
      if (xo[key] === undefined && yo[key] === undefined) continue;
      if (xo[key] === undefined) return `${path}.${key}: missing != ${show(yo[key])}`;
      if (yo[key] === undefined) return `${path}.${key}: ${show(xo[key])} != missing`;
      const diff = jsonDifference(xo[key], yo[key], `${path}.${key}`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  return `${path}: ${show(x)} != ${show(y)}`;
}
