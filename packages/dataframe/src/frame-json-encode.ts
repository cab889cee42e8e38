import { sortedLabels } from "./arrow-encode.js";
import { int32Halves, readNanosAsMillis } from "./epoch-nanos.js";
import type { Field } from "./field.js";
import { fieldConfigToJSON } from "./field-config.js";
import { FieldError } from "./field-error.js";
import { goTypeName, simpleTypeOf } from "./field-type.js";
import type { Frame } from "./frame.js";
import { frameMetaToJSON } from "./frame-meta.js";
import { stringifyJSON } from "./json-text.js";

/** Which parts of frame JSON to write: `all` (schema and data), only `data`, or only `schema`. */
export type FrameJSONInclude = "all" | "data" | "schema";

/** Options of {@link frameToJSON} / {@link frameToJSONString}. */
export interface FrameJSONOptions {
  /** refId to write when the frame's own refId is empty or unset. */
  refId?: string;
  /** Parts to write; default `all`. */
  include?: FrameJSONInclude;
}

const encoder = new TextEncoder();

/**
 * Encodes a frame as frame JSON (`{"schema": …, "data": …}`, the Go SDK's format) and returns the
 * UTF-8 bytes. See {@link frameToJSONString} for the rules.
 */
export function frameToJSON(frame: Frame, options: FrameJSONOptions = {}): Uint8Array {
  return encoder.encode(frameToJSONString(frame, options));
}

/**
 * Encodes a frame as a frame JSON string. Values are column-major; times are epoch milliseconds with
 * sub-millisecond remainders in `data.nanos` (only when any exist); NaN/±Inf are written as null and
 * listed in `data.entities`; int64/uint64 are exact JSON numbers (beyond ±2^53, JS `JSON.parse`
 * rounds them — use {@link frameFromJSON}, which reads them exactly).
 */
export function frameToJSONString(frame: Frame, options: FrameJSONOptions = {}): string {
  const include = options.include ?? "all";
  if (include !== "all" && include !== "data" && include !== "schema") {
    throw new TypeError(`unknown include ${JSON.stringify(include)}; expected "all", "data" or "schema"`);
  }
  const rowCount = frame.validate();
  const parts: string[] = [];
  if (include !== "data") parts.push(`"schema":${schemaJSON(frame, options.refId)}`);
  if (include !== "schema") parts.push(`"data":${dataJSON(frame, rowCount)}`);
  return `{${parts.join(",")}}`;
}

function schemaJSON(frame: Frame, fallbackRefId: string | undefined): string {
  const parts: string[] = [];
  if (frame.name) parts.push(`"name":${JSON.stringify(frame.name)}`);
  const refId = frame.refId || fallbackRefId;
  if (refId) parts.push(`"refId":${JSON.stringify(refId)}`);
  if (frame.meta !== undefined) parts.push(`"meta":${frameMetaToJSON(frame.meta)}`);
  const fields = frame.fields.map((field) => {
    const f: string[] = [];
    if (field.name) f.push(`"name":${JSON.stringify(field.name)}`);
    f.push(`"type":"${simpleTypeOf(field.type)}"`);
    f.push(`"typeInfo":{"frame":"${goTypeName(field.type)}"${field.nullable ? ',"nullable":true' : ""}}`);
    if (field.labels !== undefined) f.push(`"labels":${stringifyJSON(sortedLabels(field.labels))}`);
    if (field.config !== undefined) f.push(`"config":${fieldConfigToJSON(field.config)}`);
    return `{${f.join(",")}}`;
  });
  parts.push(`"fields":[${fields.join(",")}]`);
  return `{${parts.join(",")}}`;
}

interface ColumnJSON {
  values: string;
  entities?: string;
  nanos?: string;
}

function dataJSON(frame: Frame, rowCount: number): string {
  const columns = frame.fields.map((field, index) => columnJSON(field, rowCount, index));
  let out = `{"values":[${columns.map((c) => `[${c.values}]`).join(",")}]`;
  if (columns.some((c) => c.entities !== undefined)) {
    out += `,"entities":[${columns.map((c) => c.entities ?? "null").join(",")}]`;
  }
  if (columns.some((c) => c.nanos !== undefined)) {
    out += `,"nanos":[${columns.map((c) => c.nanos ?? "null").join(",")}]`;
  }
  return `${out}}`;
}

function columnJSON(field: Field, rowCount: number, index: number): ColumnJSON {
  const validity = field.nullable ? field.validity : undefined;
  const isNull = (row: number): boolean => validity !== undefined && validity[row] === 0;
  const values = field.values;
  switch (field.type) {
    case "int8":
    case "int16":
    case "int32":
    case "uint8":
    case "uint16":
    case "uint32":
    case "enum":
    case "int64":
    case "uint64": {
      const ints = values as Int32Array;
      // Native join prints typed-array integers (bigint ones too) exactly.
      if (validity === undefined) return { values: ints.join(",") };
      return { values: mapRows(rowCount, (row) => (isNull(row) ? "null" : String(ints[row]))) };
    }
    case "float32":
    case "float64": {
      const floats = values as Float64Array;
      const format = field.type === "float32" ? formatFloat32 : String;
      const entities: Record<"NaN" | "Inf" | "NegInf", number[]> = { NaN: [], Inf: [], NegInf: [] };
      let found = false;
      const text = mapRows(rowCount, (row) => {
        if (isNull(row)) return "null";
        const v = floats[row]!;
        if (Number.isFinite(v)) return format(v);
        found = true;
        entities[Number.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "NegInf"].push(row);
        return "null";
      });
      if (!found) return { values: text };
      const e: string[] = [];
      for (const key of ["NaN", "Inf", "NegInf"] as const) {
        if (entities[key].length > 0) e.push(`"${key}":[${entities[key].join(",")}]`);
      }
      return { values: text, entities: `{${e.join(",")}}` };
    }
    case "string": {
      const strings = values as string[];
      return {
        values: mapRows(rowCount, (row) => {
          if (isNull(row)) return "null";
          const s = strings[row];
          if (typeof s !== "string") {
            throw new FieldError(field.name, `expected a string, got ${typeof s}`, {
              fieldIndex: index,
              row,
            });
          }
          return JSON.stringify(s);
        }),
      };
    }
    case "bool": {
      const bools = values as Uint8Array;
      return {
        values: mapRows(rowCount, (row) => (isNull(row) ? "null" : bools[row] !== 0 ? "true" : "false")),
      };
    }
    case "json": {
      const items = values as unknown[];
      return { values: mapRows(rowCount, (row) => (isNull(row) ? "null" : stringifyJSON(items[row]))) };
    }
    case "time":
      return timeColumnJSON(values as BigInt64Array, rowCount, isNull);
  }
}

function timeColumnJSON(
  values: BigInt64Array,
  rowCount: number,
  isNull: (row: number) => boolean,
): ColumnJSON {
  const halves = int32Halves(values);
  const parts = { ms: 0, nanos: 0 };
  let nanos: Int32Array | undefined;
  const text = mapRows(rowCount, (row) => {
    if (isNull(row)) return "null";
    readNanosAsMillis(values, halves, row, parts);
    if (parts.nanos !== 0) {
      nanos ??= new Int32Array(rowCount);
      nanos[row] = parts.nanos;
    }
    return String(parts.ms);
  });
  return nanos === undefined ? { values: text } : { values: text, nanos: `[${nanos.join(",")}]` };
}

function mapRows(rowCount: number, format: (row: number) => string): string {
  const out = new Array<string>(rowCount);
  for (let row = 0; row < rowCount; row++) out[row] = format(row);
  return out.join(",");
}

/** Shortest decimal that reads back as the same float32, as Go writes float32 values. */
export function formatFloat32(value: number): string {
  let low = 1;
  let high = 9;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (Math.fround(Number(value.toPrecision(mid))) === value) high = mid;
    else low = mid + 1;
  }
  return String(Number(value.toPrecision(low)));
}
