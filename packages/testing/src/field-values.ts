import { type Field, type Frame, nanosToDate } from "@gfsdk/dataframe";

/**
 * A field value for assertions: time as a `Date` (millisecond precision), int64/uint64 as a number
 * when it is a safe integer (a bigint only beyond ±2^53), bool as a boolean, json parsed, null as null.
 */
export type PlainValue = number | string | boolean | Date | bigint | null | unknown;

function plain(field: Field, row: number): PlainValue {
  const value = field.at(row);
  if (value === null) return null;
  if (field.type === "time") return nanosToDate(value as bigint);
  if (typeof value === "bigint") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return value;
}

function pick(frame: Frame, field: string | number): Field {
  const found = typeof field === "number" ? frame.fields[field] : frame.field(field);
  if (found === undefined) {
    const names = frame.fields.map((f) => JSON.stringify(f.name)).join(", ");
    throw new RangeError(
      `frame ${JSON.stringify(frame.name)} has no field ${JSON.stringify(field)}; its fields: ${names || "none"}`,
    );
  }
  return found;
}

/**
 * The values of one field as a plain array (see {@link PlainValue}): `field` is a name (the first
 * field of that name) or an index. Throws a RangeError listing the frame's fields when there is none.
 */
export function fieldValues(frame: Frame, field: string | number): PlainValue[] {
  const f = pick(frame, field);
  return Array.from({ length: f.length }, (_, row) => plain(f, row));
}

/**
 * The rows of a frame as objects keyed by field name, values as {@link fieldValues} gives them.
 * Throws when two fields share a name (use {@link fieldValues} with indices then).
 */
export function frameRows(frame: Frame): Record<string, PlainValue>[] {
  const names = new Set<string>();
  for (const f of frame.fields) {
    if (names.has(f.name)) {
      throw new RangeError(
        `frame ${JSON.stringify(frame.name)} has two fields named ${JSON.stringify(f.name)}; read them with fieldValues(frame, index)`,
      );
    }
    names.add(f.name);
  }
  return Array.from({ length: frame.rowCount }, (_, row) => {
    const out: Record<string, PlainValue> = {};
    for (const f of frame.fields) out[f.name] = plain(f, row);
    return out;
  });
}
