import {
  boolField,
  createFrame,
  enumField,
  FIELD_TYPES,
  type Frame,
  isNumericFieldType,
  jsonField,
  type NumericFieldType,
  numberField,
  stringField,
  timeField,
} from "@gfsdk/dataframe";

/** Three values per numeric type: its extremes and one in between (NaN and ±Inf for floats). */
const sampleNumbers: Record<NumericFieldType, [number | bigint, number | bigint, number | bigint]> = {
  int8: [-128, 0, 127],
  int16: [-32768, 1, 32767],
  int32: [-2147483648, 2, 2147483647],
  int64: [-9223372036854775808n, 3n, 9223372036854775807n],
  uint8: [0, 4, 255],
  uint16: [0, 5, 65535],
  uint32: [0, 6, 4294967295],
  uint64: [0n, 7n, 18446744073709551615n],
  float32: [-1.5, 0.25, Number.POSITIVE_INFINITY],
  float64: [Number.NaN, -0.125, Number.NEGATIVE_INFINITY],
};

/**
 * A frame with a field of every Grafana field type and its nullable twin (each twin holds a null),
 * labels and config on some fields, and meta with the executed query string. Three rows.
 */
export function allTypesFrame(): Frame {
  const times = [new Date("2026-01-01T00:00:00Z"), 1767225600001.5, 1767225600002000000n];
  const fields = [];
  for (const type of FIELD_TYPES.filter(isNumericFieldType)) {
    const [a, b, c] = sampleNumbers[type];
    fields.push(numberField(type, [a, b, c], { type }));
    fields.push(numberField(`nullable_${type}`, [a, null, c], { type, nullable: true }));
  }
  fields.push(
    stringField("string", ["hello", "", "🦄 emoji"], { labels: { host: "a", region: "eu" } }),
    stringField("nullable_string", ["x", null, "z"], { nullable: true }),
    boolField("bool", [true, false, true]),
    boolField("nullable_bool", [null, true, false], { nullable: true }),
    timeField("time", times, { config: { displayName: "Time", unit: "dateTimeAsIso" } }),
    timeField("nullable_time", [times[0], null, times[2]], { nullable: true }),
    jsonField("json", [{ a: 1 }, [1, 2, 3], "text"]),
    jsonField("nullable_json", [null, { b: true }, 42], { nullable: true }),
    enumField("enum", [0, 1, 2], { enumText: ["zero", "one", "two"] }),
    enumField("nullable_enum", [2, null, 0], { enumText: ["zero", "one", "two"], nullable: true }),
  );
  return createFrame({
    name: "all_types",
    fields,
    meta: { executedQueryString: "SELECT * FROM all_types", typeVersion: [0, 0] },
  });
}
