// The all-types frame of the frame benchmark, built exactly like go/cmd/framebench/frames.go AllTypesFrame.
import {
  createFrame,
  createStorage,
  FIELD_TYPES,
  Field,
  type FieldConfig,
  type FieldStorageMap,
  type FieldType,
  type Frame,
} from "@gfsdk/dataframe";

const MAX_SAFE = 2n ** 53n - 1n;

/** The 5-row pattern of every type; the nullable twins are null on rows with `row % 5 === NULL_ROW`. */
const PATTERNS: { [T in FieldType]: readonly unknown[] } = {
  int8: [-128, -1, 0, 1, 127],
  int16: [-32768, -1, 0, 1, 32767],
  int32: [-2147483648, -1, 0, 1, 2147483647],
  int64: [-(2n ** 63n), -MAX_SAFE, 0n, MAX_SAFE, 2n ** 63n - 1n],
  uint8: [0, 1, 127, 128, 255],
  uint16: [0, 1, 32767, 32768, 65535],
  uint32: [0, 1, 2147483647, 2147483648, 4294967295],
  uint64: [0n, 1n, MAX_SAFE, 2n ** 63n + 1n, 2n ** 64n - 1n],
  float32: [-1.5, 0.25, Number.POSITIVE_INFINITY, 0.1, 3.4028234663852886e38],
  float64: [Number.NaN, -0.125, Number.NEGATIVE_INFINITY, 0.1, Number.MAX_VALUE],
  string: ["", "hello", "Grafana ❤️", 'quote " backslash \\', "🦥 sloth"],
  bool: [1, 0, 1, 1, 0],
  time: [0n, 1568039445123456789n, 1568039450000000001n, 1700000000000000000n, -1_500_000n],
  json: [{ a: 1 }, [1, 2, 3], "text", 42, { e: { f: 5.5, g: true } }],
  enum: [0, 1, 2, 3, 1],
};

const NULL_ROW = 2;

const ENUM_CONFIG: FieldConfig = { type: { enum: { text: ["", "ONE", "TWO", "THREE"] } } };

/**
 * The all-types frame: every field type followed by its nullable twin (30 fields), `n` rows
 * repeating a 5-row pattern of limits, NaN/±Inf, emoji and sub-millisecond times; labels on
 * `string`, config on `float64` and the enums, meta with an executed query string.
 */
export function allTypesFrame(n: number): Frame {
  const fields: Field[] = [];
  for (const type of FIELD_TYPES) {
    for (const nullable of [false, true]) {
      const field = new Field({
        name: nullable ? `nullable_${type}` : type,
        type,
        values: fill(type, n),
        nullable,
        validity: nullable ? nullRows(n) : undefined,
      });
      if (type === "string" && !nullable) field.labels = { host: "a", region: "eu" };
      if (type === "float64" && !nullable) field.config = { displayName: "Float", unit: "ms" };
      if (type === "enum") field.config = ENUM_CONFIG;
      fields.push(field);
    }
  }
  return createFrame({
    name: "all_types",
    refId: "A",
    meta: { executedQueryString: "SELECT * FROM all_types" },
    fields,
  });
}

function nullRows(n: number): Uint8Array {
  const validity = new Uint8Array(n);
  for (let i = 0; i < n; i++) validity[i] = i % 5 === NULL_ROW ? 0 : 1;
  return validity;
}

function fill<T extends FieldType>(type: T, n: number): FieldStorageMap[T] {
  const pattern = PATTERNS[type];
  const values = createStorage(type, n) as { [row: number]: unknown; length: number };
  for (let i = 0; i < n; i++) values[i] = pattern[i % pattern.length];
  return values as FieldStorageMap[T];
}
