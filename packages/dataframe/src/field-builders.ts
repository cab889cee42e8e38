import { createField, type FieldInput, type FieldOptions } from "./create-field.js";
import type { Field } from "./field.js";
import type { NumericFieldType } from "./field-type.js";

/**
 * A time field. Values: a BigInt64Array of epoch nanoseconds (used as is), a Float64Array of epoch
 * milliseconds, or an array of Date / epoch-millisecond numbers / bigint nanoseconds (null = null row).
 */
export function timeField(name: string, values: FieldInput<"time">, options?: FieldOptions): Field<"time"> {
  return createField(name, "time", values, options);
}

/** Options of {@link numberField}. */
export interface NumberFieldOptions extends FieldOptions {
  /** Numeric type; default: inferred from the typed array, `int64` for bigint values, else `float64`. */
  type?: NumericFieldType;
}

/** Input accepted by {@link numberField}: any numeric typed array or an array of numbers/bigints. */
export type NumberFieldInput =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array
  | ArrayLike<number | bigint | null | undefined>;

/**
 * A numeric field. A typed array of the field's type is used without copying (e.g. Float64Array →
 * `float64`, BigInt64Array → `int64`); arrays of numbers default to `float64`.
 */
export function numberField(
  name: string,
  values: NumberFieldInput,
  options: NumberFieldOptions = {},
): Field<NumericFieldType> {
  const type = options.type ?? inferNumericType(values);
  return createField<NumericFieldType>(name, type, values as FieldInput<NumericFieldType>, options);
}

function inferNumericType(values: NumberFieldInput): NumericFieldType {
  if (values instanceof Int8Array) return "int8";
  if (values instanceof Int16Array) return "int16";
  if (values instanceof Int32Array) return "int32";
  if (values instanceof BigInt64Array) return "int64";
  if (values instanceof Uint8Array) return "uint8";
  if (values instanceof Uint16Array) return "uint16";
  if (values instanceof Uint32Array) return "uint32";
  if (values instanceof BigUint64Array) return "uint64";
  if (values instanceof Float32Array) return "float32";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && value !== undefined) return typeof value === "bigint" ? "int64" : "float64";
  }
  return "float64";
}

/** A string field from an array of strings (null/undefined = null row). */
export function stringField(
  name: string,
  values: FieldInput<"string">,
  options?: FieldOptions,
): Field<"string"> {
  return createField(name, "string", values, options);
}

/** A bool field from booleans, or from a Uint8Array of 0/1 (used without copying). */
export function boolField(name: string, values: FieldInput<"bool">, options?: FieldOptions): Field<"bool"> {
  return createField(name, "bool", values, options);
}

/**
 * A JSON field (Go `json.RawMessage`, Arrow Binary) from JSON values. As for other types, null or
 * undefined marks a null row (the field becomes nullable); with `nullable: false`, null is kept as
 * the JSON value `null` instead.
 */
export function jsonField(name: string, values: ArrayLike<unknown>, options?: FieldOptions): Field<"json"> {
  return createField(name, "json", values, options);
}

/** Options of {@link enumField}. */
export interface EnumFieldOptions extends FieldOptions {
  /** Value names, index = value; stored in `config.type.enum.text`. */
  text?: readonly string[];
}

/**
 * An enum field (Arrow Uint16 with `tstype: enum`). Values are indices into `text`, or the names
 * themselves when `text` is given.
 */
export function enumField(
  name: string,
  values: FieldInput<"enum">,
  options: EnumFieldOptions = {},
): Field<"enum"> {
  const { text, ...rest } = options;
  return createField(name, "enum", values, text === undefined ? rest : { ...rest, enumText: text });
}
