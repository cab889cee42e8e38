import type { Frame } from "./frame.js";

/**
 * How a frame can be treated as a time series (Go `data.TimeSeriesSchema`): `long` has a time field,
 * at least one value field and string/bool factor fields; `wide` has a time field and value fields
 * but no factors; `not` lacks a time or value field.
 */
export interface TimeSeriesSchema {
  type: "long" | "wide" | "not";
  /** Index of the first time field (the time index); -1 when there is none. */
  timeIndex: number;
  /** Whether the time index field is nullable. */
  timeIsNullable: boolean;
  /** Indices of the value fields: every field except the time index and the factors. */
  valueIndices: number[];
  /** Indices of the string and bool fields. */
  factorIndices: number[];
}

/** Classifies a frame as a long, wide or non time series (see {@link TimeSeriesSchema}). */
export function timeSeriesSchema(frame: Frame): TimeSeriesSchema {
  const timeIndex = frame.fields.findIndex((field) => field.type === "time");
  const schema: TimeSeriesSchema = {
    type: "not",
    timeIndex,
    timeIsNullable: timeIndex >= 0 && frame.fields[timeIndex]!.nullable,
    valueIndices: [],
    factorIndices: [],
  };
  if (timeIndex < 0) return schema;
  frame.fields.forEach((field, index) => {
    if (index === timeIndex) return;
    if (field.type === "string" || field.type === "bool") schema.factorIndices.push(index);
    else schema.valueIndices.push(index);
  });
  if (schema.valueIndices.length === 0) return schema;
  schema.type = schema.factorIndices.length === 0 ? "wide" : "long";
  return schema;
}
