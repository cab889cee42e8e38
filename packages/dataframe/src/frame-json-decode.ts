import { int32Halves, toEpochNanos, writeMillisAsNanos } from "./epoch-nanos.js";
import { Field, type Labels } from "./field.js";
import type { FieldConfig } from "./field-config.js";
import {
  createStorage,
  type FieldStorage,
  type FieldType,
  INT_RANGES,
  parseGoTypeName,
} from "./field-type.js";
import { Frame } from "./frame.js";
import { FrameDecodeError } from "./frame-decode-error.js";
import type { FrameMeta } from "./frame-meta.js";
import { parseJSONExact } from "./json-text.js";

/** Options of {@link frameFromJSON}. */
export interface FrameJSONDecodeOptions {
  /**
   * Frame whose schema (name, refId, meta, field names/types/labels/config) applies when the input
   * has only `data` — e.g. later chunks of chunked JSON, which the Go SDK writes with IncludeDataOnly.
   */
  schema?: Frame;
}

interface FieldSpec {
  name: string;
  type: FieldType;
  nullable: boolean;
  labels: Labels | undefined;
  config: FieldConfig | undefined;
}

// Frontend-made frame JSON may carry only the simple type; its columns may contain nulls.
const SIMPLE_TYPE_FALLBACK: Record<string, FieldType> = {
  number: "float64",
  string: "string",
  boolean: "bool",
  time: "time",
  other: "json",
  enum: "enum",
};

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes frame JSON (`{"schema": …, "data": …}` as the Go SDK writes it) from a string, UTF-8 bytes
 * or an already parsed object. int64/uint64 beyond ±2^53 are read exactly from text input; times are
 * rebuilt from epoch milliseconds plus `nanos`; `entities` restore NaN/±Inf. Schema-only input gives
 * empty fields; data-only input needs `options.schema`. Nulls in non-nullable fields read as zero
 * values, as in the Go SDK. Throws {@link FrameDecodeError} on malformed input.
 */
export function frameFromJSON(
  input: string | Uint8Array | object,
  options: FrameJSONDecodeOptions = {},
): Frame {
  try {
    return decodeFrameJSON(input, options);
  } catch (error) {
    if (error instanceof FrameDecodeError) throw error;
    // Anything else (e.g. a FieldError from a hand-made object) still means the input is not a frame.
    throw new FrameDecodeError(
      `invalid frame JSON: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

function decodeFrameJSON(input: string | Uint8Array | object, options: FrameJSONDecodeOptions): Frame {
  const root = parseRoot(input);
  for (const key of Object.keys(root)) {
    if (key !== "schema" && key !== "data") throw new FrameDecodeError(`frame JSON: unexpected key "${key}"`);
  }
  let name = "";
  let refId: string | undefined;
  let meta: FrameMeta | undefined;
  let specs: FieldSpec[];
  if (root.schema !== undefined && root.schema !== null) {
    const schema = asObject(root.schema, "schema");
    name = optionalString(schema.name, "schema.name") ?? "";
    refId = optionalString(schema.refId, "schema.refId") || undefined;
    if (schema.meta !== undefined && schema.meta !== null)
      meta = asObject(schema.meta, "schema.meta") as FrameMeta;
    const fields = schema.fields ?? [];
    if (!Array.isArray(fields)) throw new FrameDecodeError("frame JSON: schema.fields must be an array");
    specs = fields.map((field, index) => fieldSpec(field, index));
  } else if (options.schema !== undefined) {
    name = options.schema.name;
    refId = options.schema.refId || undefined;
    meta = options.schema.meta;
    specs = options.schema.fields.map((field) => ({
      name: field.name,
      type: field.type,
      nullable: field.nullable,
      labels: field.labels,
      config: field.config,
    }));
  } else {
    specs = [];
    if (root.data !== undefined && root.data !== null) {
      throw new FrameDecodeError(
        "frame JSON has data but no schema; pass options.schema to decode data-only JSON",
      );
    }
  }
  const fields =
    root.data === undefined || root.data === null
      ? specs.map((spec) => buildField(spec, createStorage(spec.type, 0), undefined))
      : readData(asObject(root.data, "data"), specs);
  return new Frame({
    name,
    ...(refId === undefined ? {} : { refId }),
    ...(meta === undefined ? {} : { meta }),
    fields,
  });
}

function parseRoot(input: unknown): Record<string, unknown> {
  let value: unknown = input;
  if (typeof input === "string" || input instanceof Uint8Array) {
    let text: string;
    try {
      text = typeof input === "string" ? input : decoder.decode(input);
    } catch (error) {
      throw new FrameDecodeError("frame JSON is not valid UTF-8", { cause: error });
    }
    try {
      value = parseJSONExact(text);
    } catch (error) {
      throw new FrameDecodeError(
        `invalid frame JSON: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  return asObject(value, "frame JSON");
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FrameDecodeError(`${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new FrameDecodeError(`frame JSON: ${what} must be a string`);
  return value;
}

function fieldSpec(value: unknown, index: number): FieldSpec {
  const field = asObject(value, `schema.fields[${index}]`);
  const name = optionalString(field.name, `schema.fields[${index}].name`) ?? "";
  const where = `field "${name}" (index ${index})`;
  let type: FieldType | undefined;
  let nullable = false;
  if (field.typeInfo !== undefined && field.typeInfo !== null) {
    const info = asObject(field.typeInfo, `${where} typeInfo`);
    const parsed = typeof info.frame === "string" ? parseGoTypeName(info.frame) : undefined;
    if (parsed === undefined) {
      throw new FrameDecodeError(
        `${where}: unknown field type ${JSON.stringify(info.frame)} in typeInfo.frame`,
      );
    }
    type = parsed.type;
    nullable = parsed.nullable || info.nullable === true;
  } else if (typeof field.type === "string" && SIMPLE_TYPE_FALLBACK[field.type] !== undefined) {
    type = SIMPLE_TYPE_FALLBACK[field.type]!;
    nullable = true;
  } else {
    throw new FrameDecodeError(`${where}: missing typeInfo.frame`);
  }
  let labels: Labels | undefined;
  if (field.labels !== undefined && field.labels !== null) {
    labels = asObject(field.labels, `${where} labels`) as Labels;
    if (!Object.values(labels).every((v) => typeof v === "string")) {
      throw new FrameDecodeError(`${where}: label values must be strings`);
    }
  }
  const config =
    field.config === undefined || field.config === null
      ? undefined
      : (asObject(field.config, `${where} config`) as FieldConfig);
  return { name, type, nullable, labels, config };
}

function buildField(spec: FieldSpec, values: FieldStorage, validity: Uint8Array | undefined): Field {
  return new Field({ ...spec, values, validity: spec.nullable ? validity : undefined });
}

function readData(data: Record<string, unknown>, specs: FieldSpec[]): Field[] {
  for (const key of Object.keys(data)) {
    if (key !== "values" && key !== "entities" && key !== "nanos") {
      throw new FrameDecodeError(`frame JSON: unexpected key "data.${key}"`);
    }
  }
  const columns = data.values ?? [];
  if (!Array.isArray(columns)) throw new FrameDecodeError("frame JSON: data.values must be an array");
  if (columns.length === 0)
    return specs.map((spec) => buildField(spec, createStorage(spec.type, 0), undefined));
  if (columns.length !== specs.length) {
    throw new FrameDecodeError(
      `frame JSON: data.values has ${columns.length} columns but the schema has ${specs.length} fields`,
    );
  }
  const rowCount = Array.isArray(columns[0]) ? columns[0].length : 0;
  const nanos = perFieldArray(data.nanos, "nanos", specs.length);
  const entities = perFieldArray(data.entities, "entities", specs.length);
  return specs.map((spec, index) => {
    const column: unknown = columns[index];
    const where = `field "${spec.name}" (index ${index})`;
    if (!Array.isArray(column))
      throw new FrameDecodeError(`${where}: data.values[${index}] must be an array`);
    if (column.length !== rowCount) {
      throw new FrameDecodeError(`${where}: has ${column.length} values but the first field has ${rowCount}`);
    }
    const values = createStorage(spec.type, rowCount);
    const validity = new Uint8Array(rowCount).fill(1);
    let sawNull = false;
    const write = columnWriter(spec.type, values, where);
    const fieldNanos = nanosFor(nanos[index], spec.type, rowCount, where);
    for (let row = 0; row < rowCount; row++) {
      const value: unknown = column[row];
      if (value === null) {
        validity[row] = 0;
        sawNull = true;
        continue;
      }
      write(row, value, fieldNanos?.[row] ?? 0);
    }
    applyEntities(entities[index], spec, values, validity, rowCount, where);
    if (spec.type === "json" && !spec.nullable) sawNull = false;
    return buildField(spec, values, sawNull && validity.includes(0) ? validity : undefined);
  });
}

function perFieldArray(value: unknown, what: string, count: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > count) {
    throw new FrameDecodeError(`frame JSON: data.${what} must be an array with at most one entry per field`);
  }
  return value;
}

function nanosFor(
  value: unknown,
  type: FieldType,
  rowCount: number,
  where: string,
): ArrayLike<unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (type !== "time") throw new FrameDecodeError(`${where}: data.nanos given for a ${type} field`);
  if (!Array.isArray(value) || value.length > rowCount) {
    throw new FrameDecodeError(`${where}: data.nanos must be an array with at most one entry per row`);
  }
  return value;
}

type Writer = (row: number, value: unknown, nanos: unknown) => void;

function columnWriter(type: FieldType, storage: FieldStorage, where: string): Writer {
  const fail = (row: number, value: unknown, expected: string): never => {
    throw new FrameDecodeError(
      `${where} row ${row}: expected ${expected}, got ${JSON.stringify(String(value))}`,
    );
  };
  switch (type) {
    case "int8":
    case "int16":
    case "int32":
    case "uint8":
    case "uint16":
    case "uint32":
    case "enum": {
      const out = storage as Int32Array;
      const [min, max] = INT_RANGES[type]!;
      return (row, value) => {
        const n = typeof value === "bigint" ? Number(value) : value;
        if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max)
          fail(row, value, `an ${type}`);
        out[row] = n as number;
      };
    }
    case "int64":
    case "uint64": {
      const out = storage as BigInt64Array;
      const [min, max] = type === "int64" ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
      return (row, value) => {
        let n: bigint | undefined;
        if (typeof value === "bigint") n = value;
        else if (typeof value === "number" && Number.isInteger(value)) n = BigInt(value);
        else if (typeof value === "string" && /^-?\d+$/.test(value)) n = BigInt(value);
        if (n === undefined || n < min || n > max) return fail(row, value, `an ${type}`);
        out[row] = n;
      };
    }
    case "float32":
    case "float64": {
      const out = storage as Float64Array;
      return (row, value) => {
        if (typeof value === "number") out[row] = value;
        else if (typeof value === "bigint") out[row] = Number(value);
        else if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
          out[row] = Number(value);
        else fail(row, value, "a number");
      };
    }
    case "string": {
      const out = storage as string[];
      return (row, value) => {
        if (typeof value === "string") out[row] = value;
        else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
          out[row] = String(value);
        else fail(row, value, "a string");
      };
    }
    case "bool": {
      const out = storage as Uint8Array;
      return (row, value) => {
        if (typeof value !== "boolean") fail(row, value, "a boolean");
        out[row] = value ? 1 : 0;
      };
    }
    case "json": {
      const out = storage as unknown[];
      return (row, value) => {
        out[row] = value;
      };
    }
    case "time": {
      const out = storage as BigInt64Array;
      const halves = int32Halves(out);
      return (row, value, nanos) => {
        const ns =
          typeof nanos === "number" && Number.isInteger(nanos) ? nanos : fail(row, nanos, "integer nanos");
        if (
          typeof value === "number" &&
          Number.isInteger(value) &&
          Math.abs(value) <= 9223372036854 &&
          ns >= 0 &&
          ns < 1e6
        ) {
          if (writeMillisAsNanos(halves, row, value, ns)) return;
        }
        if (typeof value !== "number" && typeof value !== "bigint")
          return fail(row, value, "epoch milliseconds");
        try {
          // Add the nanos before range-checking: the extreme int64 times need a floor ms just outside the range.
          const total =
            typeof value === "bigint" || Number.isInteger(value)
              ? BigInt(value) * 1_000_000n + BigInt(ns)
              : toEpochNanos(value) + BigInt(ns);
          out[row] = toEpochNanos(total);
        } catch (error) {
          throw new FrameDecodeError(
            `${where} row ${row}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      };
    }
  }
}

function applyEntities(
  value: unknown,
  spec: FieldSpec,
  values: FieldStorage,
  validity: Uint8Array,
  rowCount: number,
  where: string,
): void {
  if (value === undefined || value === null) return;
  if (spec.type !== "float32" && spec.type !== "float64") {
    throw new FrameDecodeError(`${where}: data.entities given for a ${spec.type} field`);
  }
  const lookup = asObject(value, `${where} entities`);
  const out = values as Float64Array;
  for (const [key, indices] of Object.entries(lookup)) {
    const replacement =
      key === "NaN" ? Number.NaN : key === "Inf" ? Infinity : key === "NegInf" ? -Infinity : undefined;
    if (replacement === undefined) continue; // e.g. the frontend's `Undef`, which has no Go counterpart
    if (!Array.isArray(indices)) throw new FrameDecodeError(`${where}: entities.${key} must be an array`);
    for (const row of indices) {
      if (typeof row !== "number" || !Number.isInteger(row) || row < 0 || row >= rowCount) {
        throw new FrameDecodeError(`${where}: entities.${key} index ${JSON.stringify(row)} is out of range`);
      }
      out[row] = replacement;
      validity[row] = 1;
    }
  }
}
