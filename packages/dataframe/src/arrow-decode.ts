import {
  type Field as ArrowField,
  type Float as ArrowFloat,
  type Int as ArrowInt,
  type Data,
  type DataType,
  makeVector,
  type RecordBatch,
  RecordBatchReader,
  type Schema,
  Type,
} from "apache-arrow";
import { checkArrowFile } from "./check-arrow-file.js";
import { Field, type Labels } from "./field.js";
import type { FieldConfig } from "./field-config.js";
import { createStorage, type FieldStorage, type FieldType } from "./field-type.js";
import { Frame } from "./frame.js";
import { FrameDecodeError } from "./frame-decode-error.js";
import type { FrameMeta } from "./frame-meta.js";
import { parseJSONExact } from "./json-text.js";
import { decodeUtf8Column } from "./utf8-column.js";

/**
 * Decodes one Arrow IPC **file** (what the Go SDK's `MarshalArrow` writes) into a frame. All record
 * batches are appended. Strings may be Utf8 or Utf8View; every Timestamp is read as nanoseconds
 * whatever its declared unit (as the Go SDK does); Uint16 with `tstype: enum` becomes an enum field.
 * Throws {@link FrameDecodeError} for garbage, truncated input, the stream format, or types the Go
 * SDK cannot read either (dictionaries, LargeUtf8, dates, lists, …).
 */
export function frameFromArrow(bytes: Uint8Array | ArrayBuffer): Frame {
  const input = toBytes(bytes);
  checkArrowFile(input);
  let schema: Schema;
  let batches: RecordBatch[];
  try {
    // The reader's schema is the footer's; RecordBatch/Table schemas merge fields that share a
    // name, which frames allow, so only the batches' column data is used.
    const reader = RecordBatchReader.from(input);
    reader.open();
    schema = reader.schema;
    batches = reader.readAll();
  } catch (error) {
    throw new FrameDecodeError(`invalid Arrow IPC file: ${message(error)}`, { cause: error });
  }
  try {
    return toFrame(schema, batches);
  } catch (error) {
    if (error instanceof FrameDecodeError) throw error;
    throw new FrameDecodeError(`invalid Arrow IPC file: ${message(error)}`, { cause: error });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new FrameDecodeError(`expected Arrow bytes as a Uint8Array or ArrayBuffer, got ${typeof bytes}`);
}

function parseMetadataJSON(text: string, what: string): unknown {
  try {
    return parseJSONExact(text);
  } catch (error) {
    throw new FrameDecodeError(`invalid JSON in ${what}: ${message(error)}`, { cause: error });
  }
}

function toFrame(schema: Schema, batches: RecordBatch[]): Frame {
  const metadata = schema.metadata;
  const name = metadata.get("name") ?? "";
  const refId = metadata.get("refId") ?? "";
  let meta: FrameMeta | undefined;
  const metaText = metadata.get("meta");
  if (metaText !== undefined) {
    const parsed = parseMetadataJSON(metaText, "schema metadata 'meta'");
    if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
      throw new FrameDecodeError("schema metadata 'meta' must be a JSON object");
    }
    if (parsed !== null) meta = parsed as FrameMeta;
  }
  const rowCount = batches.reduce((sum, batch) => sum + batch.numRows, 0);
  const fields = schema.fields.map((arrowField, index) => {
    const chunks = batches.map((batch) => {
      const child = batch.data.children[index];
      if (child === undefined || child.length !== batch.numRows) {
        throw new FrameDecodeError(
          `field "${arrowField.name}": column length does not match its record batch`,
        );
      }
      return child;
    });
    return decodeField(arrowField, chunks, rowCount);
  });
  return new Frame({
    name,
    ...(refId === "" ? {} : { refId }),
    ...(meta === undefined ? {} : { meta }),
    fields,
  });
}

function fieldTypeOf(arrowField: ArrowField): FieldType {
  const type = arrowField.type as DataType;
  const unsupported = (): never => {
    throw new FrameDecodeError(`field "${arrowField.name}": unsupported Arrow type ${String(type)}`);
  };
  switch (type.typeId) {
    case Type.Int: {
      const int = type as ArrowInt;
      const name = `${int.isSigned ? "int" : "uint"}${int.bitWidth}` as FieldType;
      return name === "uint16" && arrowField.metadata.get("tstype") === "enum" ? "enum" : name;
    }
    case Type.Float: {
      const precision = (type as ArrowFloat).precision;
      if (precision === 1) return "float32";
      if (precision === 2) return "float64";
      return unsupported();
    }
    case Type.Utf8:
    case Type.Utf8View:
      return "string";
    case Type.Bool:
      return "bool";
    case Type.Timestamp:
      return "time";
    case Type.Binary:
      return "json";
    default:
      return unsupported();
  }
}

function decodeField(arrowField: ArrowField, chunks: Data[], rowCount: number): Field {
  // apache-arrow reports an empty field name as null.
  const name = (arrowField.name as string | null) ?? "";
  const type = fieldTypeOf(arrowField);
  const nullable = arrowField.nullable;
  const values = createStorage(type, rowCount);
  let validity: Uint8Array | undefined;
  let at = 0;
  for (const data of chunks) {
    if (nullable && data.nullCount > 0) {
      validity ??= new Uint8Array(rowCount).fill(1);
      unpackBits(data.nullBitmap, data.offset, data.length, validity, at, name, "validity");
    }
    copyChunk(name, type, data, values, at, validity);
    at += data.length;
  }
  const labels = fieldLabels(arrowField);
  const config = fieldConfig(arrowField);
  return new Field({ name, type, values, nullable, validity, labels, config });
}

function unpackBits(
  bits: Uint8Array | null | undefined,
  offset: number,
  length: number,
  out: Uint8Array,
  at: number,
  name: string,
  what: string,
): void {
  if (bits === null || bits === undefined || bits.length * 8 < offset + length) {
    throw new FrameDecodeError(`field "${name}": ${what} bitmap is shorter than the column`);
  }
  for (let i = 0; i < length; i++) {
    const bit = offset + i;
    out[at + i] = (bits[bit >> 3]! >> (bit & 7)) & 1;
  }
}

type NumericArray = Exclude<FieldStorage, unknown[]>;

function copyChunk(
  name: string,
  type: FieldType,
  data: Data,
  target: FieldStorage,
  at: number,
  validity: Uint8Array | undefined,
): void {
  const { offset, length } = data;
  if (length === 0) return;
  switch (type) {
    case "bool":
      unpackBits(data.values as Uint8Array, offset, length, target as Uint8Array, at, name, "value");
      return;
    case "string":
    case "json": {
      const strings =
        data.typeId === Type.Utf8View
          ? viewStrings(data)
          : decodeVariable(name, data.values, data.valueOffsets, offset, length);
      if (type === "string") {
        const out = target as string[];
        for (let i = 0; i < length; i++) out[at + i] = strings[i]!;
        return;
      }
      const out = target as unknown[];
      for (let i = 0; i < length; i++) {
        if (validity !== undefined && validity[at + i] === 0) continue;
        out[at + i] = parseJSONValue(name, strings[i]!, at + i);
      }
      return;
    }
    default: {
      const source = data.values as NumericArray | undefined;
      const out = target as NumericArray;
      if (source === undefined || source.constructor !== out.constructor || source.length < offset + length) {
        throw new FrameDecodeError(`field "${name}": value buffer does not match the column`);
      }
      (out as Uint8Array).set(source.subarray(offset, offset + length) as Uint8Array, at);
    }
  }
}

function decodeVariable(
  name: string,
  bytes: unknown,
  offsets: unknown,
  offset: number,
  length: number,
): string[] {
  if (!(bytes instanceof Uint8Array) || !(offsets instanceof Int32Array)) {
    throw new FrameDecodeError(`field "${name}": missing offsets or data buffer`);
  }
  try {
    return decodeUtf8Column(bytes, offsets, offset, length);
  } catch (error) {
    throw new FrameDecodeError(`field "${name}": ${message(error)}`, { cause: error });
  }
}

function viewStrings(data: Data): string[] {
  const vector = makeVector(data);
  const out = new Array<string>(data.length);
  for (let i = 0; i < data.length; i++) {
    const value: unknown = vector.get(i);
    out[i] = typeof value === "string" ? value : "";
  }
  return out;
}

function parseJSONValue(name: string, text: string, row: number): unknown {
  // The Go SDK's zero json.RawMessage is empty bytes; it is written to frame JSON as null.
  if (text === "") return null;
  try {
    return parseJSONExact(text);
  } catch (error) {
    throw new FrameDecodeError(`field "${name}" row ${row}: invalid JSON value: ${message(error)}`, {
      cause: error,
    });
  }
}

function fieldLabels(arrowField: ArrowField): Labels | undefined {
  const text = arrowField.metadata.get("labels");
  if (text === undefined) return undefined;
  const labels = parseMetadataJSON(text, `labels of field "${arrowField.name}"`);
  if (labels === null) return undefined;
  if (
    typeof labels !== "object" ||
    Array.isArray(labels) ||
    !Object.values(labels).every((value) => typeof value === "string")
  ) {
    throw new FrameDecodeError(`field "${arrowField.name}": labels must be a JSON object of strings`);
  }
  return labels as Labels;
}

function fieldConfig(arrowField: ArrowField): FieldConfig | undefined {
  const text = arrowField.metadata.get("config");
  if (text === undefined) return undefined;
  const config = parseMetadataJSON(text, `config of field "${arrowField.name}"`);
  if (config === null) return undefined;
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new FrameDecodeError(`field "${arrowField.name}": config must be a JSON object`);
  }
  return config as FieldConfig;
}
