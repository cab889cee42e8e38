import { frameToArrow } from "./arrow-encode.js";
import { concatFrameRows } from "./concat-frame-rows.js";
import type { Field } from "./field.js";
import { FieldError } from "./field-error.js";
import { fieldsFromRows, type RowColumns } from "./fields-from-rows.js";
import { type FrameTableOptions, formatFrameTable } from "./format-frame-table.js";
import { type FrameJSONInclude, frameToJSON } from "./frame-json-encode.js";
import type { FrameMeta } from "./frame-meta.js";

/** Everything needed to build a {@link Frame}. */
export interface FrameOptions {
  /** Frame name; default `""`. */
  name?: string;
  /** Query reference id; default unset (written as `""`). */
  refId?: string;
  /** Frame metadata; default none (not written). */
  meta?: FrameMeta;
  /** Fields, all of equal length; default none. */
  fields?: Field[];
}

/** Wire formats of {@link Frame.encode}: one Arrow IPC file, or frame JSON as UTF-8 bytes. */
export type FrameFormat = "arrow" | "json";

/** Options of {@link Frame.encode}. */
export interface FrameEncodeOptions {
  /** refId to write when the frame's own `refId` is empty or unset. */
  refId?: string;
  /** JSON only: write schema and data (`all`, default), only `data`, or only `schema`. */
  include?: FrameJSONInclude;
}

/** Options of {@link Frame.fromRows}. */
export interface FromRowsOptions extends Omit<FrameOptions, "fields"> {
  /**
   * Column types by name, e.g. `{ time: "time", value: "float64", host: { type: "string", nullable: true } }`.
   * Columns not listed are inferred from the first non-null value (number → float64, bigint → int64,
   * string, boolean → bool, Date → time, other objects → json). Field order: declared columns first,
   * then inferred ones in order of appearance.
   */
  columns?: RowColumns;
}

/**
 * A Grafana data frame: a name, an optional refId and metadata, and fields of equal length.
 * Build with {@link createFrame} or {@link Frame.fromRows}; send with {@link Frame.encode}.
 */
export class Frame {
  /** Frame name (may be empty). */
  name: string;
  /** The query this frame answers; empty or unset means "not set" (written as `""`). */
  refId?: string;
  /** Metadata, or undefined when the frame has none. */
  meta?: FrameMeta;
  /** The columns. */
  fields: Field[];

  /** Builds a frame; throws {@link FieldError} when fields have unequal lengths. */
  constructor(options: FrameOptions = {}) {
    this.name = options.name ?? "";
    if (options.refId !== undefined) this.refId = options.refId;
    if (options.meta !== undefined) this.meta = options.meta;
    this.fields = options.fields ?? [];
    this.validate();
  }

  /**
   * Builds a frame from row objects, e.g. `Frame.fromRows([{ time: new Date(), value: 1 }], { columns: { value: "int64" } })`.
   * Missing keys and null/undefined become null rows. Throws {@link FieldError} naming the column on bad values.
   */
  static fromRows(rows: Iterable<Record<string, unknown>>, options: FromRowsOptions = {}): Frame {
    const { columns, ...frameOptions } = options;
    return new Frame({ ...frameOptions, fields: fieldsFromRows(rows, columns ?? {}) });
  }

  /** Number of rows (the common field length; 0 without fields). Throws {@link FieldError} if lengths differ. */
  get rowCount(): number {
    return this.validate();
  }

  /** Checks that all fields have the same length and returns it; throws {@link FieldError} naming the odd field. */
  validate(): number {
    const first = this.fields[0];
    if (first === undefined) return 0;
    const length = first.length;
    for (let i = 1; i < this.fields.length; i++) {
      const field = this.fields[i]!;
      if (field.length !== length) {
        throw new FieldError(
          field.name,
          `has ${field.length} rows but field "${first.name}" (index 0) has ${length}; all fields of a frame must have the same length`,
          { fieldIndex: i },
        );
      }
    }
    return length;
  }

  /** The first field named `name`, if any. */
  field(name: string): Field | undefined {
    return this.fields.find((field) => field.name === name);
  }

  /**
   * Encodes the frame for the wire: `"arrow"` returns one Arrow IPC file, `"json"` the UTF-8 bytes
   * of frame JSON. `options.refId` is written only when the frame's own refId is empty.
   */
  encode(
    format: "arrow" | "json",
    options?: { refId?: string; include?: "all" | "data" | "schema" },
  ): Uint8Array {
    if (format === "arrow") return frameToArrow(this, options);
    if (format === "json") return frameToJSON(this, options);
    throw new TypeError(`unknown frame format ${JSON.stringify(format)}; expected "arrow" or "json"`);
  }

  /**
   * A new frame with this frame's name, refId, meta and fields, holding this frame's rows followed
   * by those of each of `others` (as a chunked answer's chunks of one frame are joined). Each other
   * frame must have the same fields: same count, names and types, in order; a field is nullable
   * when it is in any frame. Throws {@link FieldError} naming the first field that differs.
   */
  concatRows(others: readonly Frame[]): Frame {
    return concatFrameRows(this, others);
  }

  /** A readable table (name, dimensions, field headers, first rows) for tests and logs. */
  toString(options?: FrameTableOptions): string {
    return formatFrameTable(this, options);
  }
}

/** Builds a {@link Frame}; throws {@link FieldError} when fields have unequal lengths. */
export function createFrame(options: FrameOptions = {}): Frame {
  return new Frame(options);
}
