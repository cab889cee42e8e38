import { createField } from "./create-field.js";
import type { Field, Labels } from "./field.js";
import type { FieldConfig } from "./field-config.js";
import { FieldError } from "./field-error.js";
import { type FieldType, isFieldType } from "./field-type.js";

/** A declared column: its type plus optional nullability (default: nullable if any null), labels and config. */
export interface ColumnSpec {
  type: FieldType;
  nullable?: boolean;
  labels?: Labels;
  config?: FieldConfig;
}

/** Column declarations by name: a type name or a {@link ColumnSpec}. */
export type RowColumns = Record<string, FieldType | ColumnSpec>;

/**
 * Infers a field type from a JS value: number → float64, bigint → int64, string, boolean → bool,
 * Date → time, anything else → json.
 */
export function inferFieldType(value: unknown): FieldType {
  switch (typeof value) {
    case "number":
      return "float64";
    case "bigint":
      return "int64";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    default:
      return value instanceof Date ? "time" : "json";
  }
}

/**
 * Turns row objects into fields: declared columns first (in declaration order), then undeclared keys
 * in order of first appearance with inferred types (a column holding only nulls becomes a nullable
 * string). Missing keys and null/undefined values are null rows.
 */
export function fieldsFromRows(rows: Iterable<Record<string, unknown>>, columns: RowColumns): Field[] {
  const list = Array.from(rows);
  const names = Object.keys(columns);
  const seen = new Set(names);
  for (let row = 0; row < list.length; row++) {
    const record = list[row];
    if (record === null || typeof record !== "object") {
      throw new TypeError(`row ${row} must be an object, got ${record === null ? "null" : typeof record}`);
    }
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  return names.map((name) => {
    const values = list.map((record) => record[name]);
    const declared = columns[name];
    const spec: ColumnSpec =
      declared === undefined
        ? { type: inferColumnType(values) }
        : typeof declared === "string"
          ? { type: declared }
          : declared;
    if (!isFieldType(spec.type))
      throw new FieldError(name, `unknown column type ${JSON.stringify(spec.type)}`);
    const nullable =
      declared === undefined && values.every((v) => v === null || v === undefined) ? true : spec.nullable;
    return createField(name, spec.type, values, {
      ...(nullable === undefined ? {} : { nullable }),
      labels: spec.labels,
      config: spec.config,
    });
  });
}

function inferColumnType(values: unknown[]): FieldType {
  for (const value of values) {
    if (value !== null && value !== undefined) return inferFieldType(value);
  }
  return "string";
}
