import { createField } from "./create-field.js";
import type { Field } from "./field.js";
import type { FieldType } from "./field-type.js";
import { Frame } from "./frame.js";
import { timeSeriesSchema } from "./time-series-schema.js";
import { zeroValue } from "./zero-value.js";

interface ValueColumn {
  type: FieldType;
  nullable: boolean;
  values: unknown[];
}

function labelSetKey(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/**
 * Converts a wide time series (time plus value fields with labels) to a long one, like the Go SDK's
 * `data.WideToLong`: the output has the (non-nullable) time field, one field per distinct value
 * field name (sorted), then one string field per label key (sorted); each wide row becomes one long
 * row per distinct label set (sorted). Cells with no source keep the zero value (null if nullable).
 * Name, refId and meta are kept. Throws when the frame is not wide, has no rows or null times, or
 * when two value fields share a name but differ in type.
 */
export function wideToLong(wideFrame: Frame): Frame {
  const schema = timeSeriesSchema(wideFrame);
  if (schema.type !== "wide") {
    throw new Error(
      `cannot convert to a long series: expected a wide series but got a ${schema.type} series`,
    );
  }
  const rowCount = wideFrame.rowCount;
  if (rowCount === 0) throw new Error("cannot convert to a long series: the input has no rows");

  const valueTypes = new Map<string, { type: FieldType; nullable: boolean }>();
  const labelSets = new Map<string, number[]>();
  const labelKeys = new Set<string>();
  for (const index of schema.valueIndices) {
    const field = wideFrame.fields[index]!;
    const known = valueTypes.get(field.name);
    if (known === undefined) {
      valueTypes.set(field.name, { type: field.type, nullable: field.nullable });
    } else if (known.type !== field.type || known.nullable !== field.nullable) {
      throw new Error(
        `cannot convert to a long series: fields named "${field.name}" have different types (${describe(known)} and ${describe(field)}), field index ${index}`,
      );
    }
    const key = labelSetKey(field.labels);
    const indices = labelSets.get(key);
    if (indices === undefined) labelSets.set(key, [index]);
    else indices.push(index);
    for (const labelKey of Object.keys(field.labels ?? {})) labelKeys.add(labelKey);
  }
  const valueNames = [...valueTypes.keys()].sort();
  const setKeys = [...labelSets.keys()].sort();
  const factorNames = [...labelKeys].sort();

  const timeField = wideFrame.fields[schema.timeIndex]!;
  const times: bigint[] = [];
  const values = new Map<string, ValueColumn>(
    valueNames.map((name) => [name, { ...valueTypes.get(name)!, values: [] as unknown[] }]),
  );
  const factors = new Map<string, string[]>(factorNames.map((name) => [name, [] as string[]]));

  for (let row = 0; row < rowCount; row++) {
    const time = timeField.at(row) as bigint | null;
    if (time === null) throw new Error("cannot convert to a long series: time may not have null values");
    for (const setKey of setKeys) {
      const longRow = times.length;
      times.push(time);
      for (const column of values.values())
        column.values.push(column.nullable ? null : zeroValue(column.type));
      for (const column of factors.values()) column.push("");
      const indices = labelSets.get(setKey)!;
      for (const [k, v] of Object.entries(wideFrame.fields[indices[0]!]!.labels ?? {}))
        factors.get(k)![longRow] = v;
      for (const index of indices) {
        const field = wideFrame.fields[index]!;
        values.get(field.name)!.values[longRow] = field.at(row);
      }
    }
  }

  const fields: Field[] = [createField(timeField.name, "time", times, { nullable: false })];
  for (const name of valueNames) {
    const column = values.get(name)!;
    fields.push(createField(name, column.type, column.values, { nullable: column.nullable }));
  }
  for (const name of factorNames)
    fields.push(createField(name, "string", factors.get(name)!, { nullable: false }));
  return new Frame({
    name: wideFrame.name,
    ...(wideFrame.refId === undefined ? {} : { refId: wideFrame.refId }),
    ...(wideFrame.meta === undefined ? {} : { meta: wideFrame.meta }),
    fields,
  });
}

function describe(field: { type: FieldType; nullable: boolean }): string {
  return field.nullable ? `nullable ${field.type}` : field.type;
}
