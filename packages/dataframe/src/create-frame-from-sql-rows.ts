import { createField } from "./create-field.js";
import type { Labels } from "./field.js";
import type { FieldConfig } from "./field-config.js";
import { FieldError } from "./field-error.js";
import { type FieldType, isFieldType, isNumericFieldType } from "./field-type.js";
import { Frame, type FrameOptions } from "./frame.js";

/** A result-set column: name and declared type. SQL columns are nullable unless `nullable: false`. */
export interface SqlColumn {
  name: string;
  type: FieldType;
  /** Default true: SQL columns may hold NULL. */
  nullable?: boolean;
  labels?: Labels;
  config?: FieldConfig;
}

/** Frame-level options of {@link createFrameFromSqlRows}. */
export type SqlFrameOptions = Omit<FrameOptions, "fields">;

const decoder = new TextDecoder();
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9})\d*)?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Builds a frame from SQL-style rows (arrays in column order) with declared column types, converting
 * what database drivers typically return: numeric strings and bigints for numbers, `0/1/"t"/"f"/
 * "true"/"false"` for bools, Date / epoch ms / bigint ns / RFC 3339 or `YYYY-MM-DD hh:mm:ss[.fffffffff]`
 * strings (UTC when no offset; nanoseconds kept) for times, JSON text or bytes for json. SQL NULL
 * (null/undefined) becomes a null row. Throws {@link FieldError} naming the column and row.
 */
export function createFrameFromSqlRows(
  columns: readonly SqlColumn[],
  rows: Iterable<readonly unknown[]>,
  options: SqlFrameOptions = {},
): Frame {
  for (const column of columns) {
    if (!isFieldType(column.type))
      throw new FieldError(column.name, `unknown column type ${JSON.stringify(column.type)}`);
  }
  const values = columns.map(() => [] as unknown[]);
  let row = 0;
  for (const record of rows) {
    if (!Array.isArray(record) || record.length !== columns.length) {
      throw new TypeError(`row ${row} must be an array of ${columns.length} values`);
    }
    columns.forEach((column, index) => {
      try {
        values[index]!.push(convertSqlValue(column.type, record[index]));
      } catch (error) {
        throw new FieldError(column.name, error instanceof Error ? error.message : String(error), { row });
      }
    });
    row++;
  }
  const fields = columns.map((column, index) =>
    createField(column.name, column.type, values[index]!, {
      nullable: column.nullable ?? true,
      labels: column.labels,
      config: column.config,
    }),
  );
  return new Frame({ ...options, fields });
}

function convertSqlValue(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isNumericFieldType(type) || type === "enum") {
    if (typeof value === "string") {
      const text = value.trim();
      if (/^-?\d+$/.test(text) && (type === "int64" || type === "uint64")) return BigInt(text);
      const n = Number(text);
      if (text === "" || Number.isNaN(n)) {
        if (/^[+-]?(nan|inf(inity)?)$/i.test(text)) return parseSpecial(text);
        throw new TypeError(`cannot convert string ${JSON.stringify(value)} to ${type}`);
      }
      return n;
    }
    if (typeof value === "boolean") return value ? 1 : 0;
    return value;
  }
  switch (type) {
    case "bool":
      return toBool(value);
    case "string":
      if (typeof value === "string") return value;
      if (value instanceof Uint8Array) return decoder.decode(value);
      if (value instanceof Date) return value.toISOString();
      if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean")
        return String(value);
      return JSON.stringify(value);
    case "time":
      return typeof value === "string" ? parseTime(value) : value;
    case "json":
      if (typeof value === "string") return JSON.parse(value);
      if (value instanceof Uint8Array) return JSON.parse(decoder.decode(value));
      return value;
    default:
      return value;
  }
}

function parseSpecial(text: string): number {
  const lower = text.toLowerCase();
  if (lower.includes("nan")) return Number.NaN;
  return lower.startsWith("-") ? -Infinity : Infinity;
}

function toBool(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0 || value === 1n || value === 0n) return value === 1 || value === 1n;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (text === "t" || text === "true" || text === "1" || text === "y" || text === "yes") return true;
    if (text === "f" || text === "false" || text === "0" || text === "n" || text === "no") return false;
  }
  throw new TypeError(`cannot convert ${typeof value} ${JSON.stringify(String(value))} to bool`);
}

/** Parses an SQL/RFC 3339 timestamp string to epoch nanoseconds, keeping all fractional digits. */
function parseTime(text: string): bigint {
  const match = RFC3339.exec(text.trim());
  if (match === null) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new TypeError(`cannot parse time ${JSON.stringify(text)}`);
    return BigInt(ms) * 1_000_000n;
  }
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number(y) < 100) ms = new Date(ms).setUTCFullYear(Number(y));
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
    ms -= sign * offset * 60_000;
  }
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, "0") || "0");
}
