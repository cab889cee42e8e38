import { int32Halves, toEpochNanos, writeMillisAsNanos } from "./epoch-nanos.js";
import { Field, type Labels } from "./field.js";
import type { FieldConfig } from "./field-config.js";
import { FieldError } from "./field-error.js";
import {
  createStorage,
  type FieldStorageMap,
  type FieldType,
  INT_RANGES,
  isStorageOf,
} from "./field-type.js";

/** The JS values each field type accepts when building from a plain array. */
export interface FieldInputMap {
  int8: number | bigint;
  int16: number | bigint;
  int32: number | bigint;
  int64: bigint | number;
  uint8: number | bigint;
  uint16: number | bigint;
  uint32: number | bigint;
  uint64: bigint | number;
  float32: number | bigint;
  float64: number | bigint;
  string: string;
  bool: boolean;
  /** Date, epoch milliseconds (number, fractions kept), or epoch nanoseconds (bigint). */
  time: Date | number | bigint;
  /** Any JSON-serialisable value (bigint allowed; written as an exact JSON number). */
  json: unknown;
  /** The value index, or its name when the enum text is known (option `enumText` or config). */
  enum: number | string;
}

/**
 * Values accepted by {@link createField}: the type's own column storage (used without copying —
 * the fast path), a Float64Array of epoch milliseconds for `time`, or any array-like of
 * {@link FieldInputMap} values where null/undefined mark null rows.
 */
export type FieldInput<T extends FieldType> =
  | FieldStorageMap[T]
  | (T extends "time" ? Float64Array : never)
  | ArrayLike<FieldInputMap[T] | null | undefined>;

/** Options shared by the field builders. */
export interface FieldOptions {
  /**
   * Whether rows may be null. Default: true when the input contains null/undefined or `validity`
   * is given, else false. With `false`, a null in the input throws (for `json` it is kept as the
   * JSON value `null`).
   */
  nullable?: boolean;
  /** Labels; default none (not written). */
  labels?: Labels;
  /** Display configuration; default none (not written). */
  config?: FieldConfig;
  /** One byte per row, 0 = null; for the typed-array fast path where nulls cannot be written inline. */
  validity?: Uint8Array;
  /** Enum value names, index = value; strings in the input are mapped through it (enum only). */
  enumText?: readonly string[];
}

type Writer = (row: number, value: unknown) => void;

function describe(value: unknown): string {
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "bigint") return `bigint ${value}`;
  if (typeof value === "number") return `number ${value}`;
  if (value instanceof Date) return "Date";
  if (value === null) return "null";
  return typeof value;
}

/**
 * Builds a field of `type` from typed storage (zero-copy fast path) or from an array of JS values
 * (validated and converted row by row). Throws {@link FieldError}, naming the field and row, for a
 * value of the wrong type or out of range, or a null when `nullable: false`.
 */
export function createField<T extends FieldType>(
  name: string,
  type: T,
  values: FieldInput<T>,
  options: FieldOptions = {},
): Field<T> {
  const config = withEnumText(type, options);
  const base = { name, type, labels: options.labels, config };
  if (isStorageOf(type, values) && !Array.isArray(values)) {
    const nullable = options.nullable ?? options.validity !== undefined;
    return new Field<T>({
      ...base,
      values: values as FieldStorageMap[T],
      nullable,
      validity: options.validity,
    });
  }
  if (type === "time" && values instanceof Float64Array && options.validity === undefined) {
    const nanos = millisToNanos(values);
    if (nanos !== undefined) {
      return new Field<T>({
        ...base,
        values: nanos as FieldStorageMap[T],
        nullable: options.nullable ?? false,
      });
    }
  }
  if (
    values === null ||
    typeof values !== "object" ||
    typeof (values as ArrayLike<unknown>).length !== "number"
  ) {
    throw new FieldError(name, `values must be an array or typed array, got ${describe(values)}`);
  }
  const input = values as ArrayLike<unknown>;
  const length = input.length;
  const storage = createStorage(type, length);
  const write = writerFor(name, type, storage, config);
  const validity = new Uint8Array(length);
  if (options.validity !== undefined) {
    if (options.validity.length !== length) {
      throw new FieldError(
        name,
        `validity has ${options.validity.length} entries but there are ${length} values`,
      );
    }
    validity.set(options.validity);
  } else {
    validity.fill(1);
  }
  let sawNull = options.validity !== undefined;
  for (let row = 0; row < length; row++) {
    const value = input[row];
    if (value === null || value === undefined) {
      // JSON null is a legitimate value of a non-nullable json column (Go writes it as `null`).
      if (type === "json" && options.nullable === false) continue;
      if (options.nullable === false)
        throw new FieldError(name, "null in a field that is not nullable", { row });
      validity[row] = 0;
      sawNull = true;
      continue;
    }
    if (validity[row] === 0) continue;
    try {
      write(row, value);
    } catch (error) {
      if (error instanceof FieldError) throw error;
      throw new FieldError(name, error instanceof Error ? error.message : String(error), { row });
    }
  }
  const nullable = options.nullable ?? sawNull;
  return new Field<T>({
    ...base,
    values: storage,
    nullable,
    validity: nullable && sawNull ? validity : undefined,
  });
}

function withEnumText(type: FieldType, options: FieldOptions): FieldConfig | undefined {
  if (options.enumText === undefined) return options.config;
  if (type !== "enum") throw new TypeError("option enumText is only valid for enum fields");
  const config = options.config ?? {};
  return { ...config, type: { ...config.type, enum: { ...config.type?.enum, text: [...options.enumText] } } };
}

function writerFor(name: string, type: FieldType, storage: unknown, config: FieldConfig | undefined): Writer {
  switch (type) {
    case "int8":
    case "int16":
    case "int32":
    case "uint8":
    case "uint16":
    case "uint32":
      return smallIntWriter(type, storage as Int32Array);
    case "enum":
      return enumWriter(name, storage as Uint16Array, config?.type?.enum?.text);
    case "int64":
    case "uint64":
      return bigIntWriter(type, storage as BigInt64Array);
    case "float32":
    case "float64": {
      const out = storage as Float64Array;
      return (row, value) => {
        if (typeof value === "number") out[row] = value;
        else if (typeof value === "bigint") out[row] = Number(value);
        else throw new TypeError(`expected a number for ${type}, got ${describe(value)}`);
      };
    }
    case "string": {
      const out = storage as string[];
      return (row, value) => {
        if (typeof value !== "string") throw new TypeError(`expected a string, got ${describe(value)}`);
        out[row] = value;
      };
    }
    case "bool": {
      const out = storage as Uint8Array;
      return (row, value) => {
        if (typeof value !== "boolean") throw new TypeError(`expected a boolean, got ${describe(value)}`);
        out[row] = value ? 1 : 0;
      };
    }
    case "time":
      return timeWriter(storage as BigInt64Array);
    case "json": {
      const out = storage as unknown[];
      return (row, value) => {
        if (typeof value === "function" || typeof value === "symbol") {
          throw new TypeError(`expected a JSON value, got ${typeof value}`);
        }
        out[row] = value;
      };
    }
  }
}

function smallIntWriter(type: FieldType, out: { [row: number]: number }): Writer {
  const [min, max] = INT_RANGES[type]!;
  return (row, value) => {
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number") throw new TypeError(`expected an integer for ${type}, got ${describe(value)}`);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new RangeError(`${describe(value)} is not an ${type} (integer in [${min}, ${max}])`);
    }
    out[row] = n;
  };
}

function enumWriter(name: string, out: Uint16Array, text: readonly string[] | undefined): Writer {
  const ints = smallIntWriter("enum", out);
  return (row, value) => {
    if (typeof value !== "string") return ints(row, value);
    const index = text === undefined ? -1 : text.indexOf(value);
    if (index < 0) {
      throw new FieldError(name, `enum value ${JSON.stringify(value)} is not in the enum text`, { row });
    }
    out[row] = index;
  };
}

const INT64_RANGE = { int64: [-(2n ** 63n), 2n ** 63n - 1n], uint64: [0n, 2n ** 64n - 1n] } as const;

function bigIntWriter(type: "int64" | "uint64", out: { [row: number]: bigint }): Writer {
  const [min, max] = INT64_RANGE[type];
  return (row, value) => {
    let n: bigint;
    if (typeof value === "bigint") n = value;
    else if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
    else throw new TypeError(`expected a bigint or integer number for ${type}, got ${describe(value)}`);
    if (n < min || n > max) throw new RangeError(`${describe(value)} is out of range for ${type}`);
    out[row] = n;
  };
}

function timeWriter(out: BigInt64Array): Writer {
  const halves = int32Halves(out);
  return (row, value) => {
    if (typeof value === "number" && Math.abs(value) <= 9223372036854) {
      // Fractional milliseconds keep their sub-millisecond part, rounded to the nanosecond as
      // toEpochNanos does, without a bigint per row.
      let ms = Math.floor(value);
      let subNanos = Math.round((value - ms) * 1e6);
      if (subNanos === 1e6) {
        ms += 1;
        subNanos = 0;
      }
      if (writeMillisAsNanos(halves, row, ms, subNanos)) return;
    }
    if (typeof value !== "number" && typeof value !== "bigint" && !(value instanceof Date)) {
      throw new TypeError(
        `expected a Date, epoch milliseconds or bigint nanoseconds, got ${describe(value)}`,
      );
    }
    out[row] = toEpochNanos(value);
  };
}

/**
 * Epoch milliseconds (fractions kept, rounded to the nanosecond as toEpochNanos does) as epoch
 * nanoseconds, without a bigint per row. Undefined when a value is not finite or out of range, so
 * that the row-by-row path reports it.
 */
function millisToNanos(millis: Float64Array): BigInt64Array | undefined {
  const out = new BigInt64Array(millis.length);
  const halves = int32Halves(out);
  for (let row = 0; row < millis.length; row++) {
    const value = millis[row]!;
    if (!(Math.abs(value) <= 9223372036854)) return undefined;
    let ms = Math.floor(value);
    let subNanos = Math.round((value - ms) * 1e6);
    if (subNanos === 1e6) {
      ms += 1;
      subNanos = 0;
    }
    if (!writeMillisAsNanos(halves, row, ms, subNanos)) return undefined;
  }
  return out;
}
