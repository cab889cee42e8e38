import { createField } from "./create-field.js";
import type { Field, Labels } from "./field.js";
import type { FieldType } from "./field-type.js";
import { Frame } from "./frame.js";
import { timeSeriesSchema } from "./time-series-schema.js";
import { zeroValue } from "./zero-value.js";

/**
 * How {@link longToWide} fills cells of a wide field for times where its series has no row:
 * `previous` repeats the last value (null before the first), `null` leaves null, `value` writes a
 * number (converted to the field type; non-numeric fields keep their zero value).
 */
export interface FillMissing {
  mode: "previous" | "null" | "value";
  /** The number used by mode `value`; default 0. */
  value?: number;
}

/** Options of {@link longToWide}. */
export interface LongToWideOptions {
  /** Fill policy for missing cells; default none (cells keep the field's zero value, or null if nullable). */
  fillMissing?: FillMissing;
}

interface WideColumn {
  name: string;
  type: FieldType;
  nullable: boolean;
  labels: Labels;
  values: unknown[];
}

/**
 * Converts a long time series (time, values, string/bool factor fields) to a wide one, like the Go
 * SDK's `data.LongToWide`: the first time field becomes the (non-nullable) time index; each distinct
 * combination of factor values becomes labels (factor name → value; bools as "true"/"false", null as
 * "") on one wide field per value field; fields are sorted by name, then by the factors' values.
 * With fill modes `previous` and `null` the wide fields are nullable. Name, refId and meta are kept;
 * like Go, field config is not carried over. Throws when the frame is not a long series, has no
 * rows, has null times, or is not sorted ascending by time.
 */
export function longToWide(longFrame: Frame, options: LongToWideOptions = {}): Frame {
  const schema = timeSeriesSchema(longFrame);
  if (schema.type !== "long") {
    throw new Error(
      `cannot convert to a wide series: expected a long series but got a ${schema.type} series`,
    );
  }
  const rowCount = longFrame.rowCount;
  if (rowCount === 0) throw new Error("cannot convert to a wide series: the input has no rows");
  const fill = options.fillMissing;
  const timeField = longFrame.fields[schema.timeIndex]! as Field<"time">;
  const timeAt = (row: number): bigint => {
    const t = timeField.at(row);
    if (t === null) throw new Error("cannot convert to a wide series: the input has null time values");
    return t;
  };

  const times: bigint[] = [];
  const columns: WideColumn[] = [];
  const seen = new Map<string, number>(); // factor combination → index of its first wide column
  const factorNames = schema.factorIndices.map((index) => longFrame.fields[index]!.name);
  let lastTime = timeAt(0);
  times.push(lastTime);

  for (let row = 0; row < rowCount; row++) {
    const time = timeAt(row);
    if (time > lastTime) {
      lastTime = time;
      times.push(time);
      const wideRow = times.length - 1;
      for (const column of columns) column.values.push(missing(column, fill, wideRow - 1));
    } else if (time < lastTime) {
      throw new Error("cannot convert to a wide series: the long series must be sorted ascending by time");
    }
    const wideRow = times.length - 1;
    const factorValues = schema.factorIndices.map((index) => {
      const value = longFrame.fields[index]!.at(row);
      return value === null ? "" : String(value);
    });
    const key = JSON.stringify(factorValues);
    let first = seen.get(key);
    if (first === undefined) {
      first = columns.length;
      seen.set(key, first);
      const labels: Labels = {};
      factorNames.forEach((name, i) => {
        if (Object.hasOwn(labels, name))
          throw new Error(`cannot convert to a wide series: duplicate factor name "${name}"`);
        labels[name] = factorValues[i]!;
      });
      for (const valueIndex of schema.valueIndices) {
        const source = longFrame.fields[valueIndex]!;
        const column: WideColumn = {
          name: source.name,
          type: source.type,
          nullable: source.nullable || (fill !== undefined && fill.mode !== "value"),
          labels: { ...labels },
          values: [],
        };
        const before = missing(column, fill, -1);
        for (let i = 0; i < wideRow; i++) column.values.push(before);
        column.values.push(missing(column, fill, wideRow - 1));
        columns.push(column);
      }
    }
    schema.valueIndices.forEach((valueIndex, offset) => {
      columns[first + offset]!.values[wideRow] = longFrame.fields[valueIndex]!.at(row);
    });
  }

  const fields: Field[] = [createField(timeField.name, "time", times, { nullable: false })];
  for (const column of sortColumns(columns, factorNames)) {
    const values = column.nullable ? column.values : column.values.map((v) => v ?? zeroValue(column.type));
    fields.push(
      createField(column.name, column.type, values, { nullable: column.nullable, labels: column.labels }),
    );
  }
  return new Frame({
    name: longFrame.name,
    ...(longFrame.refId === undefined ? {} : { refId: longFrame.refId }),
    ...(longFrame.meta === undefined ? {} : { meta: longFrame.meta }),
    fields,
  });
}

function missing(column: WideColumn, fill: FillMissing | undefined, previousRow: number): unknown {
  if (fill === undefined || fill.mode === "null") return column.nullable ? null : zeroValue(column.type);
  if (fill.mode === "previous") return previousRow >= 0 ? (column.values[previousRow] ?? null) : null;
  return numberAs(column.type, fill.value ?? 0);
}

function numberAs(type: FieldType, value: number): unknown {
  switch (type) {
    case "int8":
    case "int16":
    case "int32":
    case "uint8":
    case "uint16":
    case "uint32":
      return wrapInt(type, Math.trunc(value));
    case "int64":
      return BigInt.asIntN(64, BigInt(Math.trunc(value)));
    case "uint64":
      return BigInt.asUintN(64, BigInt(Math.trunc(value)));
    case "float32":
      return Math.fround(value);
    case "float64":
      return value;
    default:
      return zeroValue(type);
  }
}

// Go's integer conversions wrap around; a one-element typed array does the same.
function wrapInt(type: FieldType, value: number): number {
  const arrays = {
    int8: Int8Array,
    int16: Int16Array,
    int32: Int32Array,
    uint8: Uint8Array,
    uint16: Uint16Array,
    uint32: Uint32Array,
  } as const;
  const Ctor = arrays[type as keyof typeof arrays];
  return new Ctor([value])[0]!;
}

function sortColumns(columns: WideColumn[], keys: string[]): WideColumn[] {
  return [...columns].sort((a, b) => {
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    for (const key of keys) {
      const x = a.labels[key] ?? "";
      const y = b.labels[key] ?? "";
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
