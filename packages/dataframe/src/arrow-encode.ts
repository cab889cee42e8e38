import {
  Field as ArrowField,
  Binary,
  Bool,
  type Data,
  type DataType,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampNanosecond,
  tableToIPC,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from "apache-arrow";
import type { Field } from "./field.js";
import { storageName } from "./field.js";
import { fieldConfigToJSON } from "./field-config.js";
import { FieldError } from "./field-error.js";
import { isStorageOf, simpleTypeOf } from "./field-type.js";
import type { Frame } from "./frame.js";
import { frameMetaToJSON } from "./frame-meta.js";
import { stringifyJSON } from "./json-text.js";
import { encodeUtf8Column } from "./utf8-column.js";

/** Options of {@link frameToArrow}. */
export interface ArrowEncodeOptions {
  /** refId to write when the frame's own refId is empty or unset. */
  refId?: string;
}

/**
 * Encodes a frame as one Arrow IPC **file** (starts and ends with `ARROW1`), the way the Go SDK does:
 * Utf8 strings (never dictionaries), Timestamp(ns, no timezone) times, Binary JSON, Uint16 enums with
 * `tstype: enum`; schema metadata `name`, `refId` and (if set) `meta`; field metadata `tstype` and,
 * if set, `labels` and `config`. Numeric and time columns are handed to Arrow without copying.
 * Throws {@link FieldError} for unequal field lengths or invalid values.
 */
export function frameToArrow(frame: Frame, options: ArrowEncodeOptions = {}): Uint8Array {
  const length = frame.validate();
  const arrowFields: ArrowField[] = [];
  const children: Data[] = [];
  frame.fields.forEach((field, index) => {
    if (!isStorageOf(field.type, field.values)) {
      throw new FieldError(field.name, `values must be stored in ${storageName(field.type)}`, {
        fieldIndex: index,
      });
    }
    const data = columnData(field, length);
    // Sorted keys, as arrow-go's MetadataFrom writes them.
    const metadata = new Map<string, string>();
    if (field.config !== undefined) metadata.set("config", fieldConfigToJSON(field.config));
    if (field.labels !== undefined) metadata.set("labels", stringifyJSON(sortedLabels(field.labels)));
    metadata.set("tstype", simpleTypeOf(field.type));
    arrowFields.push(new ArrowField(field.name, data.type, field.nullable, metadata));
    children.push(data);
  });
  const schemaMetadata = new Map<string, string>();
  if (frame.meta !== undefined) schemaMetadata.set("meta", frameMetaToJSON(frame.meta));
  schemaMetadata.set("name", frame.name ?? "");
  schemaMetadata.set("refId", frame.refId || options.refId || "");
  const schema = new Schema(arrowFields, schemaMetadata);
  // RecordBatch merges same-named fields (Schema.assign), but frames may repeat names: build the
  // batch under unique placeholder names, then attach the real schema; the IPC writer takes the
  // buffers from the batch data and the names from the schema.
  const placeholders = arrowFields.map(
    (field, index) => new ArrowField(`${index}`, field.type, field.nullable),
  );
  const batch = new RecordBatch(
    new Schema(placeholders),
    makeData({ type: new Struct(placeholders), length, nullCount: 0, children }),
  );
  (batch as { schema: Schema }).schema = schema;
  return tableToIPC(new Table(schema, [batch]), "file");
}

/** Labels with keys in sorted order, matching Go's map encoding. */
export function sortedLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) out[key] = labels[key]!;
  return out;
}

interface Validity {
  nullBitmap: Uint8Array | undefined;
  nullCount: number;
}

function packValidity(field: Field, length: number): Validity {
  const validity = field.nullable ? field.validity : undefined;
  if (validity === undefined) return { nullBitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((length + 7) >> 3);
  let valid = 0;
  for (let i = 0; i < length; i++) {
    if (validity[i] !== 0) {
      bitmap[i >> 3]! |= 1 << (i & 7);
      valid++;
    }
  }
  const nullCount = length - valid;
  return nullCount === 0 ? { nullBitmap: undefined, nullCount: 0 } : { nullBitmap: bitmap, nullCount };
}

function packBits(values: Uint8Array, length: number): Uint8Array {
  const bits = new Uint8Array((length + 7) >> 3);
  for (let i = 0; i < length; i++) {
    if (values[i] !== 0) bits[i >> 3]! |= 1 << (i & 7);
  }
  return bits;
}

function columnData(field: Field, length: number): Data<DataType> {
  const { nullBitmap, nullCount } = packValidity(field, length);
  const base = { length, nullCount, nullBitmap };
  const invalid = (row: number, value: unknown): never => {
    throw new FieldError(field.name, `expected a string, got ${typeof value}`, { row });
  };
  switch (field.type) {
    case "int8":
      return makeData({ ...base, type: new Int8(), data: field.values as Int8Array });
    case "int16":
      return makeData({ ...base, type: new Int16(), data: field.values as Int16Array });
    case "int32":
      return makeData({ ...base, type: new Int32(), data: field.values as Int32Array });
    case "int64":
      return makeData({ ...base, type: new Int64(), data: field.values as BigInt64Array });
    case "uint8":
      return makeData({ ...base, type: new Uint8(), data: field.values as Uint8Array });
    case "uint16":
    case "enum":
      return makeData({ ...base, type: new Uint16(), data: field.values as Uint16Array });
    case "uint32":
      return makeData({ ...base, type: new Uint32(), data: field.values as Uint32Array });
    case "uint64":
      return makeData({ ...base, type: new Uint64(), data: field.values as BigUint64Array });
    case "float32":
      return makeData({ ...base, type: new Float32(), data: field.values as Float32Array });
    case "float64":
      return makeData({ ...base, type: new Float64(), data: field.values as Float64Array });
    case "bool":
      return makeData({ ...base, type: new Bool(), data: packBits(field.values as Uint8Array, length) });
    case "time":
      return makeData({ ...base, type: new TimestampNanosecond(), data: field.values as BigInt64Array });
    case "string": {
      const { offsets, data } = encodeUtf8Column(field.values as string[], field.validity, invalid);
      return makeData({ ...base, type: new Utf8(), valueOffsets: offsets, data });
    }
    case "json": {
      const values = field.values as unknown[];
      const validity = field.nullable ? field.validity : undefined;
      const texts = new Array<string>(length);
      for (let i = 0; i < length; i++) {
        texts[i] = validity !== undefined && validity[i] === 0 ? "" : stringifyJSON(values[i]);
      }
      const { offsets, data } = encodeUtf8Column(texts, validity, invalid);
      return makeData({ ...base, type: new Binary(), valueOffsets: offsets, data });
    }
  }
}
