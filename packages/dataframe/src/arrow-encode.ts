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
import { type FieldType, isStorageOf, simpleTypeOf } from "./field-type.js";
import type { Frame } from "./frame.js";
import { frameMetaToJSON } from "./frame-meta.js";
import { stringifyJSON } from "./json-text.js";
import { encodeUtf8Column, type Utf8Column } from "./utf8-column.js";

/**
 * The largest record batch body Go's Arrow reader accepts (arrow-go refuses a file block body over
 * 256 MiB), in bytes: larger frames are written as several record batches of one Arrow file.
 */
export const maxRecordBatchBodyBytes = 256 * 1024 * 1024;

/** Options of {@link frameToArrow}. */
export interface ArrowEncodeOptions {
  /** refId to write when the frame's own refId is empty or unset. */
  refId?: string;
  /**
   * Largest body of one record batch, in bytes. Default {@link maxRecordBatchBodyBytes}; a frame
   * whose body would be larger is split by rows into several batches, which the Go SDK's decoder
   * appends into one frame.
   */
  maxRecordBatchBytes?: number;
}

/**
 * Encodes a frame as one Arrow IPC **file** (starts and ends with `ARROW1`), the way the Go SDK does:
 * Utf8 strings (never dictionaries), Timestamp(ns, no timezone) times, Binary JSON, Uint16 enums with
 * `tstype: enum`; schema metadata `name`, `refId` and (if set) `meta`; field metadata `tstype` and,
 * if set, `labels` and `config`. Numeric and time columns are handed to Arrow without copying.
 * A frame whose body would pass `maxRecordBatchBytes` (256 MiB) is written as several record
 * batches. Throws {@link FieldError} for unequal field lengths, invalid values, or one row too large
 * for a record batch.
 */
export function frameToArrow(frame: Frame, options: ArrowEncodeOptions = {}): Uint8Array {
  const length = frame.validate();
  const arrowFields: ArrowField[] = [];
  const columns: Column[] = [];
  frame.fields.forEach((field, index) => {
    if (!isStorageOf(field.type, field.values)) {
      throw new FieldError(field.name, `values must be stored in ${storageName(field.type)}`, {
        fieldIndex: index,
      });
    }
    const column = prepareColumn(field, length);
    // Sorted keys, as arrow-go's MetadataFrom writes them.
    const metadata = new Map<string, string>();
    if (field.config !== undefined) metadata.set("config", fieldConfigToJSON(field.config));
    if (field.labels !== undefined) metadata.set("labels", stringifyJSON(sortedLabels(field.labels)));
    metadata.set("tstype", simpleTypeOf(field.type));
    arrowFields.push(new ArrowField(field.name, column.type, field.nullable, metadata));
    columns.push(column);
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
  const limit = options.maxRecordBatchBytes ?? maxRecordBatchBodyBytes;
  const batches = recordBatchRanges(columns, length, limit).map(([start, rows]) => {
    const children = columns.map((column) => columnData(column, start, rows));
    const batch = new RecordBatch(
      new Schema(placeholders),
      makeData({ type: new Struct(placeholders), length: rows, nullCount: 0, children }),
    );
    (batch as { schema: Schema }).schema = schema;
    return batch;
  });
  return tableToIPC(new Table(schema, batches), "file");
}

/** Bytes of padding the IPC writer may add after each buffer (buffers are 8-byte aligned). */
const bufferPadding = 7;

/**
 * An upper bound of the IPC body bytes of rows `[start, start + rows)` of one column: its validity
 * bitmap counted whenever the field has validity, full padding after each buffer.
 */
function columnBodyBytes(column: Column, start: number, rows: number): number {
  const { field, utf8 } = column;
  let total = field.nullable && field.validity !== undefined ? Math.ceil(rows / 8) + bufferPadding : 0;
  if (utf8 !== undefined) {
    const { offsets } = utf8;
    total += 4 * (rows + 1) + bufferPadding + (offsets[start + rows]! - offsets[start]!) + bufferPadding;
  } else if (field.type === "bool") {
    total += Math.ceil(rows / 8) + bufferPadding;
  } else {
    total += (field.values as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT * rows + bufferPadding;
  }
  return total;
}

/**
 * Splits `length` rows into `[start, rows]` ranges whose record batch bodies stay within `limit`
 * bytes (by {@link columnBodyBytes}, an upper bound, so no batch passes the limit).
 */
function recordBatchRanges(
  columns: readonly Column[],
  length: number,
  limit: number,
): [start: number, rows: number][] {
  const bytesOf = (start: number, rows: number): number => {
    let total = 0;
    for (const column of columns) total += columnBodyBytes(column, start, rows);
    return total;
  };
  if (bytesOf(0, length) <= limit) return [[0, length]];
  const ranges: [number, number][] = [];
  for (let start = 0; start < length; ) {
    // The largest row count from `start` that fits, by binary search (size grows with rows).
    let low = 0;
    let high = length - start;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (bytesOf(start, mid) <= limit) low = mid;
      else high = mid - 1;
    }
    if (low === 0) {
      const sizes = columns.map((column) => columnBodyBytes(column, start, 1));
      const largest = sizes.indexOf(Math.max(...sizes));
      throw new FieldError(
        columns[largest]!.field.name,
        `row ${start} needs ${bytesOf(start, 1)} bytes, more than the ${limit} bytes of one Arrow record batch`,
        { row: start, fieldIndex: largest },
      );
    }
    ranges.push([start, low]);
    start += low;
  }
  return ranges;
}

/** Labels with keys in sorted order, matching Go's map encoding. */
export function sortedLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) out[key] = labels[key]!;
  return out;
}

/** A field ready to be written: its Arrow type and, for strings and JSON, its UTF-8 bytes. */
interface Column {
  field: Field;
  type: DataType;
  utf8: Utf8Column | undefined;
}

interface Validity {
  nullBitmap: Uint8Array | undefined;
  nullCount: number;
}

/** The validity bitmap of rows `[start, start + rows)`; none when they hold no null. */
function packValidity(field: Field, start: number, rows: number): Validity {
  const validity = field.nullable ? field.validity : undefined;
  if (validity === undefined) return { nullBitmap: undefined, nullCount: 0 };
  const bitmap = new Uint8Array((rows + 7) >> 3);
  let valid = 0;
  for (let i = 0; i < rows; i++) {
    if (validity[start + i] !== 0) {
      bitmap[i >> 3]! |= 1 << (i & 7);
      valid++;
    }
  }
  const nullCount = rows - valid;
  return nullCount === 0 ? { nullBitmap: undefined, nullCount: 0 } : { nullBitmap: bitmap, nullCount };
}

function packBits(values: Uint8Array, start: number, rows: number): Uint8Array {
  const bits = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) {
    if (values[start + i] !== 0) bits[i >> 3]! |= 1 << (i & 7);
  }
  return bits;
}

const arrowTypes: Record<Exclude<FieldType, "string" | "json">, () => DataType> = {
  int8: () => new Int8(),
  int16: () => new Int16(),
  int32: () => new Int32(),
  int64: () => new Int64(),
  uint8: () => new Uint8(),
  uint16: () => new Uint16(),
  enum: () => new Uint16(),
  uint32: () => new Uint32(),
  uint64: () => new Uint64(),
  float32: () => new Float32(),
  float64: () => new Float64(),
  bool: () => new Bool(),
  time: () => new TimestampNanosecond(),
};

/** The Arrow type of a field, with strings and JSON encoded to UTF-8 once for every batch. */
function prepareColumn(field: Field, length: number): Column {
  const invalid = (row: number, value: unknown): never => {
    throw new FieldError(field.name, `expected a string, got ${typeof value}`, { row });
  };
  const validity = field.nullable ? field.validity : undefined;
  if (field.type === "string") {
    return { field, type: new Utf8(), utf8: encodeUtf8Column(field.values as string[], validity, invalid) };
  }
  if (field.type === "json") {
    const values = field.values as unknown[];
    const texts = new Array<string>(length);
    for (let i = 0; i < length; i++) {
      texts[i] = validity !== undefined && validity[i] === 0 ? "" : stringifyJSON(values[i]);
    }
    return { field, type: new Binary(), utf8: encodeUtf8Column(texts, validity, invalid) };
  }
  return { field, type: arrowTypes[field.type](), utf8: undefined };
}

/**
 * Rows `[start, start + rows)` of a column as Arrow data starting at offset 0. Numeric and time
 * values are subarrays (no copy); string offsets are a subarray the IPC writer rebases.
 */
function columnData(column: Column, start: number, rows: number): Data<DataType> {
  const { field, type, utf8 } = column;
  const { nullBitmap, nullCount } = packValidity(field, start, rows);
  const base = { type, length: rows, nullCount, nullBitmap };
  if (utf8 !== undefined) {
    return makeData({
      ...base,
      valueOffsets: utf8.offsets.subarray(start, start + rows + 1),
      data: utf8.data,
    } as never);
  }
  const values = field.values as Uint8Array;
  const data = field.type === "bool" ? packBits(values, start, rows) : values.subarray(start, start + rows);
  return makeData({ ...base, data } as never);
}
