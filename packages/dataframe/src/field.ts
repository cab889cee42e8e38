import type { FieldConfig } from "./field-config.js";
import { FieldError } from "./field-error.js";
import {
  type FieldStorageMap,
  type FieldType,
  type FieldValueMap,
  isFieldType,
  isStorageOf,
} from "./field-type.js";

/** Field labels: dimension key/value pairs such as `{ host: "a" }`. */
export type Labels = Record<string, string>;

/** Everything needed to construct a {@link Field} from existing column storage. */
export interface FieldInit<T extends FieldType = FieldType> {
  /** Field name; duplicates within a frame are allowed. */
  name: string;
  /** Field type. */
  type: T;
  /** Column storage of the kind {@link FieldStorageMap} names for `type`; used as is, not copied. */
  values: FieldStorageMap[T];
  /** Whether rows may be null. Default: true when `validity` is given, else false. */
  nullable?: boolean;
  /** One byte per row, 0 = null, anything else = present. Only for nullable fields; absent = no nulls. */
  validity?: Uint8Array;
  /** Labels; absent labels are not written (unlike empty labels `{}`). */
  labels?: Labels;
  /** Display configuration; absent config is not written (unlike an empty config `{}`). */
  config?: FieldConfig;
}

function describeStorage(values: unknown): string {
  if (values === null || values === undefined) return String(values);
  if (Array.isArray(values)) return "Array";
  return (values as object).constructor?.name ?? typeof values;
}

/**
 * One column of a frame: a name, a type, optional labels and config, and the values in typed
 * column storage (see {@link FieldStorageMap}). Nullable fields mark nulls in `validity` (one byte
 * per row, 0 = null); the storage slot of a null row holds an unspecified placeholder.
 */
export class Field<T extends FieldType = FieldType> {
  /** Field name (may be empty; duplicates allowed). */
  name: string;
  /** Field type. */
  readonly type: T;
  /** Whether rows may be null (the Go SDK's pointer types, Arrow's nullable flag). */
  readonly nullable: boolean;
  /** Column storage; its length is the field length. */
  values: FieldStorageMap[T];
  /** Null marks for nullable fields: one byte per row, 0 = null. Undefined = no nulls. */
  validity: Uint8Array | undefined;
  /** Labels, or undefined when the field has none. */
  labels: Labels | undefined;
  /** Display configuration, or undefined when the field has none. */
  config: FieldConfig | undefined;

  /** Wraps existing storage; throws {@link FieldError} if the storage does not match the type. */
  constructor(init: FieldInit<T>) {
    const name = typeof init.name === "string" ? init.name : String(init.name);
    if (!isFieldType(init.type))
      throw new FieldError(name, `unknown field type ${JSON.stringify(init.type)}`);
    if (!isStorageOf(init.type, init.values)) {
      throw new FieldError(
        name,
        `values for type ${init.type} must be stored in ${storageName(init.type)}, got ${describeStorage(init.values)}`,
      );
    }
    const nullable = init.nullable ?? init.validity !== undefined;
    if (init.validity !== undefined) {
      if (!nullable) throw new FieldError(name, "validity was given for a field that is not nullable");
      if (!(init.validity instanceof Uint8Array)) throw new FieldError(name, "validity must be a Uint8Array");
      if (init.validity.length !== init.values.length) {
        throw new FieldError(
          name,
          `validity has ${init.validity.length} entries but the field has ${init.values.length} values`,
        );
      }
    }
    if (init.labels !== undefined) checkLabels(name, init.labels);
    this.name = name;
    this.type = init.type;
    this.nullable = nullable;
    this.values = init.values;
    this.validity = init.validity;
    this.labels = init.labels;
    this.config = init.config;
  }

  /** Number of rows. */
  get length(): number {
    return this.values.length;
  }

  /** Number of null rows. */
  get nullCount(): number {
    const validity = this.validity;
    if (validity === undefined) return 0;
    let count = 0;
    for (let i = 0; i < validity.length; i++) if (validity[i] === 0) count++;
    return count;
  }

  /** True when row `row` is null. */
  isNull(row: number): boolean {
    return this.validity !== undefined && this.validity[row] === 0;
  }

  /**
   * The value at `row`, or null for a null row. Numbers for ≤32-bit integers, floats and enums;
   * bigint for int64/uint64 and for time (epoch nanoseconds); boolean for bool; parsed JSON for json.
   */
  at(row: number): FieldValueMap[T] | null {
    if (!Number.isInteger(row) || row < 0 || row >= this.values.length) {
      throw new RangeError(
        `row ${row} is out of range for field "${this.name}" of length ${this.values.length}`,
      );
    }
    if (this.validity !== undefined && this.validity[row] === 0) return null;
    const value = (this.values as ArrayLike<unknown>)[row];
    if (this.type === "bool") return (value !== 0) as FieldValueMap[T];
    return value as FieldValueMap[T];
  }

  /** All values as a plain array, nulls included (see {@link Field.at} for the value types). */
  toArray(): Array<FieldValueMap[T] | null> {
    const out = new Array<FieldValueMap[T] | null>(this.values.length);
    for (let i = 0; i < out.length; i++) out[i] = this.at(i);
    return out;
  }
}

function checkLabels(name: string, labels: unknown): void {
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    throw new FieldError(name, "labels must be an object of string values");
  }
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value !== "string") {
      throw new FieldError(name, `label ${JSON.stringify(key)} must be a string, got ${typeof value}`);
    }
  }
}

/** Name of the storage class a type uses, for error messages. */
export function storageName(type: FieldType): string {
  switch (type) {
    case "int8":
      return "Int8Array";
    case "int16":
      return "Int16Array";
    case "int32":
      return "Int32Array";
    case "int64":
      return "BigInt64Array";
    case "time":
      return "BigInt64Array (epoch nanoseconds)";
    case "uint8":
      return "Uint8Array";
    case "bool":
      return "Uint8Array (0/1 per row)";
    case "uint16":
    case "enum":
      return "Uint16Array";
    case "uint32":
      return "Uint32Array";
    case "uint64":
      return "BigUint64Array";
    case "float32":
      return "Float32Array";
    case "float64":
      return "Float64Array";
    case "string":
      return "an array of strings";
    case "json":
      return "an array of JSON values";
  }
}
