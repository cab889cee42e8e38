// Structural validation of an Arrow IPC file before apache-arrow reads it. apache-arrow trusts the
// FlatBuffers metadata: a few corrupted bytes can make it loop over a multi-billion-element vector
// and exhaust the heap, which kills the process instead of throwing. Checking every vector, string
// and table against the file bounds, and every record batch buffer against its column length, keeps
// all later reads bounded by the input size.

import { FrameDecodeError } from "./frame-decode-error.js";

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const MAX_LENGTH = 2147483647;

// Arrow Type union ids (Schema.fbs).
const TYPE_NAMES: Record<number, string> = {
  0: "NONE",
  1: "Null",
  2: "Int",
  3: "FloatingPoint",
  4: "Binary",
  5: "Utf8",
  6: "Bool",
  7: "Decimal",
  8: "Date",
  9: "Time",
  10: "Timestamp",
  11: "Interval",
  12: "List",
  13: "Struct",
  14: "Union",
  15: "FixedSizeBinary",
  16: "FixedSizeList",
  17: "Map",
  18: "Duration",
  19: "LargeBinary",
  20: "LargeUtf8",
  21: "LargeList",
  22: "RunEndEncoded",
  23: "BinaryView",
  24: "Utf8View",
  25: "ListView",
  26: "LargeListView",
};

/** Buffer layout of a supported column. */
type Layout = { kind: "fixed"; bits: number } | { kind: "variable" } | { kind: "view" };

/** A bounds-checked reader of one FlatBuffers region. */
class FlatBuffer {
  // Plain fields rather than parameter properties, so the file runs under Node's type stripping.
  readonly bytes: Uint8Array;
  private readonly what: string;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, what: string) {
    this.bytes = bytes;
    this.what = what;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(problem: string): never {
    throw new FrameDecodeError(`invalid Arrow IPC file: ${this.what}: ${problem}`);
  }

  private need(position: number, size: number): void {
    if (!Number.isInteger(position) || position < 0 || position + size > this.bytes.length) {
      this.fail("offset out of bounds");
    }
  }

  u8(position: number): number {
    this.need(position, 1);
    return this.view.getUint8(position);
  }

  u16(position: number): number {
    this.need(position, 2);
    return this.view.getUint16(position, true);
  }

  i16(position: number): number {
    this.need(position, 2);
    return this.view.getInt16(position, true);
  }

  i32(position: number): number {
    this.need(position, 4);
    return this.view.getInt32(position, true);
  }

  u32(position: number): number {
    this.need(position, 4);
    return this.view.getUint32(position, true);
  }

  /** A non-negative int64 that fits a JS number safely. */
  size(position: number): number {
    this.need(position, 8);
    const value = this.view.getBigInt64(position, true);
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail("negative or oversized length");
    return Number(value);
  }

  root(): number {
    return this.table(this.u32(0));
  }

  /** Validates the table at `position` and its vtable; returns `position`. */
  table(position: number): number {
    const vtable = position - this.i32(position);
    const vtableSize = this.u16(vtable);
    const tableSize = this.u16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail("malformed vtable");
    this.need(vtable, vtableSize);
    this.need(position, Math.max(tableSize, 4));
    return position;
  }

  /** Position of field `slot` of a table, or 0 when absent. */
  field(table: number, slot: number): number {
    const vtable = table - this.i32(table);
    const vtableSize = this.u16(vtable);
    const entry = 4 + 2 * slot;
    if (entry >= vtableSize) return 0;
    const offset = this.u16(vtable + entry);
    return offset === 0 ? 0 : table + offset;
  }

  /** Follows an offset field to its target, or 0 when absent. */
  target(table: number, slot: number): number {
    const position = this.field(table, slot);
    if (position === 0) return 0;
    const target = position + this.u32(position);
    this.need(target, 4);
    return target;
  }

  /** Validates a vector of `elementSize`-byte elements; returns [first element position, length]. */
  vector(table: number, slot: number, elementSize: number): [number, number] {
    const position = this.target(table, slot);
    if (position === 0) return [0, 0];
    const length = this.u32(position);
    this.need(position + 4, length * elementSize);
    return [position + 4, length];
  }

  string(table: number, slot: number): string {
    const [start, length] = this.vector(table, slot, 1);
    return length === 0 ? "" : new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }

  /** Tables of a vector of tables. */
  tables(table: number, slot: number): number[] {
    const [start, length] = this.vector(table, slot, 4);
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const at = start + 4 * i;
      out.push(this.table(at + this.u32(at)));
    }
    return out;
  }
}

function hasMagicAt(bytes: Uint8Array, at: number): boolean {
  return MAGIC.every((byte, i) => bytes[at + i] === byte);
}

/**
 * Throws {@link FrameDecodeError} unless `bytes` is a structurally sound Arrow IPC file whose columns
 * all have types a frame can hold (the Go SDK's set, plus Utf8View).
 */
export function checkArrowFile(bytes: Uint8Array): void {
  if (!hasMagicAt(bytes, 0)) {
    const looksLikeStream = bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff;
    throw new FrameDecodeError(
      looksLikeStream
        ? "input is an Arrow IPC stream; frames must use the Arrow IPC file format (ARROW1 magic)"
        : "not an Arrow IPC file: missing leading ARROW1 magic",
    );
  }
  // Smallest file: magic + padding (8), footer length (4), trailing magic (6).
  if (bytes.length < 18 || !hasMagicAt(bytes, bytes.length - 6)) {
    throw new FrameDecodeError("truncated Arrow IPC file: missing trailing ARROW1 magic");
  }
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 10, 4).getInt32(0, true);
  const footerStart = bytes.length - 10 - footerLength;
  if (footerLength <= 0 || footerStart < 8) {
    throw new FrameDecodeError("truncated or invalid Arrow IPC file: footer length out of range");
  }
  const footer = new FlatBuffer(bytes.subarray(footerStart, footerStart + footerLength), "footer");
  const root = footer.root();
  const schema = footer.target(root, 1);
  if (schema === 0) footer.fail("missing schema");
  footer.table(schema);
  if (footer.field(schema, 0) !== 0 && footer.i16(footer.field(schema, 0)) !== 0) {
    footer.fail("big-endian data is not supported");
  }
  const layouts = footer.tables(schema, 1).map((field) => fieldLayout(footer, field));
  for (const keyValue of footer.tables(schema, 2)) {
    footer.string(keyValue, 0);
    footer.string(keyValue, 1);
  }
  const [, dictionaryCount] = footer.vector(root, 2, 24);
  if (dictionaryCount > 0) footer.fail("dictionary batches are not supported");
  const [blocks, blockCount] = footer.vector(root, 3, 24);
  for (let i = 0; i < blockCount; i++) {
    const block = blocks + 24 * i;
    checkRecordBatch(
      bytes,
      footerStart,
      footer.size(block),
      footer.i32(block + 8),
      footer.size(block + 16),
      layouts,
      i,
    );
  }
}

function fieldLayout(footer: FlatBuffer, field: number): Layout {
  const name = footer.string(field, 0);
  const unsupported = (type: string): never => {
    throw new FrameDecodeError(`field "${name}": unsupported Arrow type ${type}`);
  };
  for (const keyValue of footer.tables(field, 6)) {
    footer.string(keyValue, 0);
    footer.string(keyValue, 1);
  }
  if (footer.target(field, 4) !== 0) unsupported("Dictionary");
  if (footer.vector(field, 5, 4)[1] > 0) unsupported("with child fields");
  const typeTypePosition = footer.field(field, 2);
  const typeId = typeTypePosition === 0 ? 0 : footer.u8(typeTypePosition);
  const type = footer.target(field, 3);
  if (type !== 0) footer.table(type);
  const typeName = TYPE_NAMES[typeId] ?? `#${typeId}`;
  switch (typeId) {
    case 2: {
      const bits = type === 0 || footer.field(type, 0) === 0 ? 0 : footer.i32(footer.field(type, 0));
      if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) unsupported(`Int(${bits})`);
      return { kind: "fixed", bits };
    }
    case 3: {
      const precision = type === 0 || footer.field(type, 0) === 0 ? 0 : footer.i16(footer.field(type, 0));
      if (precision === 1) return { kind: "fixed", bits: 32 };
      if (precision === 2) return { kind: "fixed", bits: 64 };
      return unsupported(precision === 0 ? "Float16" : `FloatingPoint(${precision})`);
    }
    case 10:
      if (type !== 0 && footer.field(type, 1) !== 0) footer.string(type, 1);
      return { kind: "fixed", bits: 64 };
    case 6:
      return { kind: "fixed", bits: 1 };
    case 4:
    case 5:
      return { kind: "variable" };
    case 24:
      return { kind: "view" };
    default:
      return unsupported(typeName);
  }
}

function checkRecordBatch(
  bytes: Uint8Array,
  footerStart: number,
  offset: number,
  metaDataLength: number,
  blockBodyLength: number,
  layouts: Layout[],
  index: number,
): void {
  const what = `record batch ${index}`;
  const fail = (problem: string): never => {
    throw new FrameDecodeError(`invalid Arrow IPC file: ${what}: ${problem}`);
  };
  if (offset < 8 || metaDataLength <= 0 || offset + metaDataLength + blockBodyLength > footerStart) {
    fail("block out of bounds");
  }
  const prefix = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  const continuation = prefix.getInt32(0, true) === -1;
  const length = continuation ? prefix.getInt32(4, true) : prefix.getInt32(0, true);
  const start = offset + (continuation ? 8 : 4);
  if (length <= 0 || start + length > footerStart) fail("message metadata out of bounds");
  const message = new FlatBuffer(bytes.subarray(start, start + length), what);
  const root = message.root();
  const headerTypePosition = message.field(root, 1);
  if (headerTypePosition === 0 || message.u8(headerTypePosition) !== 3) fail("message is not a record batch");
  const header = message.target(root, 2);
  if (header === 0) fail("missing record batch header");
  message.table(header);
  const bodyLengthPosition = message.field(root, 3);
  const bodyLength = bodyLengthPosition === 0 ? 0 : message.size(bodyLengthPosition);
  if (start + length + bodyLength > footerStart) fail("message body out of bounds");
  const rowsPosition = message.field(header, 0);
  const rows = rowsPosition === 0 ? 0 : message.size(rowsPosition);
  if (rows > MAX_LENGTH) fail("too many rows");
  if (message.target(header, 3) !== 0) fail("compressed record batches are not supported");
  const [nodes, nodeCount] = message.vector(header, 1, 16);
  const [buffers, bufferCount] = message.vector(header, 2, 16);
  const [variadic, variadicCount] = message.vector(header, 4, 8);
  if (nodeCount !== layouts.length)
    fail(`has ${nodeCount} columns but the schema has ${layouts.length} fields`);
  const viewCount = layouts.filter((layout) => layout.kind === "view").length;
  if (variadicCount !== viewCount) fail("variadic buffer counts do not match the view columns");
  let buffer = 0;
  let view = 0;
  const nextBuffer = (): number => {
    if (buffer >= bufferCount) fail("too few buffers");
    const at = buffers + 16 * buffer++;
    const bufferOffset = message.size(at);
    const bufferLength = message.size(at + 8);
    if (bufferOffset + bufferLength > bodyLength) fail("buffer out of bounds");
    return bufferLength;
  };
  layouts.forEach((layout, column) => {
    const node = nodes + 16 * column;
    const nodeLength = message.size(node);
    const nullCount = message.size(node + 8);
    if (nodeLength !== rows) fail(`column ${column} has ${nodeLength} rows but the batch has ${rows}`);
    if (nullCount > nodeLength) fail(`column ${column} has more nulls than rows`);
    const validity = nextBuffer();
    if (nullCount > 0 && validity * 8 < nodeLength) fail(`column ${column} validity buffer too short`);
    if (layout.kind === "fixed") {
      if (nextBuffer() * 8 < nodeLength * layout.bits) fail(`column ${column} value buffer too short`);
    } else if (layout.kind === "variable") {
      if (nextBuffer() < (nodeLength === 0 ? 0 : 4 * (nodeLength + 1)))
        fail(`column ${column} offsets too short`);
      nextBuffer();
    } else {
      if (nextBuffer() < 16 * nodeLength) fail(`column ${column} views too short`);
      const extra = message.size(variadic + 8 * view++);
      if (extra > bufferCount) fail("too many variadic buffers");
      for (let i = 0; i < extra; i++) nextBuffer();
    }
  });
  if (buffer !== bufferCount) fail("unexpected extra buffers");
}
