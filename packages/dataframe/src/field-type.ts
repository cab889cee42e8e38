/**
 * Every Grafana data frame field type. Each type also has a nullable twin, expressed by
 * `Field.nullable` rather than by a separate type name.
 */
export const FIELD_TYPES = [
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float32",
  "float64",
  "string",
  "bool",
  "time",
  "json",
  "enum",
] as const;

/** A Grafana field type (see {@link FIELD_TYPES}). */
export type FieldType = (typeof FIELD_TYPES)[number];

/** The numeric field types: integers and floats (enum is not counted as numeric, as in the Go SDK). */
export type NumericFieldType = Extract<
  FieldType,
  "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "float32" | "float64"
>;

/**
 * Column storage per field type. Numbers live in typed arrays; 64-bit integers in BigInt64Array /
 * BigUint64Array; `bool` is one byte per row (0 or 1); `time` is epoch **nanoseconds** in a
 * BigInt64Array; `json` holds parsed JSON values; `enum` holds value indices into the field config's
 * `type.enum.text`.
 */
export interface FieldStorageMap {
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  uint16: Uint16Array;
  uint32: Uint32Array;
  uint64: BigUint64Array;
  float32: Float32Array;
  float64: Float64Array;
  string: string[];
  bool: Uint8Array;
  time: BigInt64Array;
  json: unknown[];
  enum: Uint16Array;
}

/** The value one row of a field holds when read with `Field.at` (time is epoch nanoseconds). */
export interface FieldValueMap {
  int8: number;
  int16: number;
  int32: number;
  int64: bigint;
  uint8: number;
  uint16: number;
  uint32: number;
  uint64: bigint;
  float32: number;
  float64: number;
  string: string;
  bool: boolean;
  time: bigint;
  json: unknown;
  enum: number;
}

/** Column storage of any field type. */
export type FieldStorage = FieldStorageMap[FieldType];

/**
 * The type name Grafana's frontend uses: `tstype` in Arrow field metadata and `type` in frame JSON.
 */
export type SimpleType = "number" | "string" | "boolean" | "time" | "enum" | "other";

const SIMPLE_TYPES: Record<FieldType, SimpleType> = {
  int8: "number",
  int16: "number",
  int32: "number",
  int64: "number",
  uint8: "number",
  uint16: "number",
  uint32: "number",
  uint64: "number",
  float32: "number",
  float64: "number",
  string: "string",
  bool: "boolean",
  time: "time",
  json: "other",
  enum: "enum",
};

/** The frontend type name (`tstype`) of a field type, e.g. `int32` → `number`, `json` → `other`. */
export function simpleTypeOf(type: FieldType): SimpleType {
  return SIMPLE_TYPES[type];
}

/** True for the integer and float types. */
export function isNumericFieldType(type: FieldType): type is NumericFieldType {
  return SIMPLE_TYPES[type] === "number";
}

/** True when `value` is one of {@link FIELD_TYPES}. */
export function isFieldType(value: unknown): value is FieldType {
  return typeof value === "string" && (FIELD_TYPES as readonly string[]).includes(value);
}

const GO_NAMES: Record<FieldType, string> = {
  int8: "int8",
  int16: "int16",
  int32: "int32",
  int64: "int64",
  uint8: "uint8",
  uint16: "uint16",
  uint32: "uint32",
  uint64: "uint64",
  float32: "float32",
  float64: "float64",
  string: "string",
  bool: "bool",
  time: "time.Time",
  json: "json.RawMessage",
  enum: "enum",
};

/**
 * The Go SDK's item type name, as written in frame JSON `typeInfo.frame` (non-nullable form) and
 * printed by `Frame.toString`: `int8`, `*int8` (nullable), `time.Time`, `json.RawMessage`, `enum`.
 */
export function goTypeName(type: FieldType, nullable = false): string {
  return nullable ? `*${GO_NAMES[type]}` : GO_NAMES[type];
}

// Aliases accepted by the Go SDK's FieldTypeFromItemTypeString.
const GO_ALIASES: Record<string, FieldType> = {
  int: "int64",
  double: "float64",
  float: "float64",
  boolean: "bool",
  time: "time",
  json: "json",
};

/**
 * Parses a Go SDK item type name (`int64`, `*float64`, `time.Time`, `json.RawMessage`, aliases such
 * as `int`, `double`, `boolean`, `time`, `json`). Returns undefined for unknown names.
 */
export function parseGoTypeName(name: string): { type: FieldType; nullable: boolean } | undefined {
  const nullable = name.startsWith("*");
  const bare = nullable ? name.slice(1) : name;
  for (const type of FIELD_TYPES) {
    if (GO_NAMES[type] === bare) return { type, nullable };
  }
  const alias = nullable ? undefined : GO_ALIASES[bare];
  return alias === undefined ? undefined : { type: alias, nullable: false };
}

/** Allocates zeroed storage for `length` rows of `type`. */
export function createStorage<T extends FieldType>(type: T, length: number): FieldStorageMap[T] {
  return allocate(type, length) as FieldStorageMap[T];
}

function allocate(type: FieldType, length: number): FieldStorage {
  switch (type) {
    case "int8":
      return new Int8Array(length);
    case "int16":
      return new Int16Array(length);
    case "int32":
      return new Int32Array(length);
    case "int64":
    case "time":
      return new BigInt64Array(length);
    case "uint8":
    case "bool":
      return new Uint8Array(length);
    case "uint16":
    case "enum":
      return new Uint16Array(length);
    case "uint32":
      return new Uint32Array(length);
    case "uint64":
      return new BigUint64Array(length);
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
    case "string":
      return new Array<string>(length).fill("");
    case "json":
      return new Array<unknown>(length).fill(null);
  }
}

/** True when `values` is the storage kind `type` uses (e.g. a Float64Array for `float64`). */
export function isStorageOf(type: FieldType, values: unknown): boolean {
  switch (type) {
    case "int8":
      return values instanceof Int8Array;
    case "int16":
      return values instanceof Int16Array;
    case "int32":
      return values instanceof Int32Array;
    case "int64":
    case "time":
      return values instanceof BigInt64Array;
    case "uint8":
    case "bool":
      return values instanceof Uint8Array;
    case "uint16":
    case "enum":
      return values instanceof Uint16Array;
    case "uint32":
      return values instanceof Uint32Array;
    case "uint64":
      return values instanceof BigUint64Array;
    case "float32":
      return values instanceof Float32Array;
    case "float64":
      return values instanceof Float64Array;
    case "string":
    case "json":
      return Array.isArray(values);
  }
}

/** Inclusive value range of the integer types that fit a JS number. */
export const INT_RANGES: Partial<Record<FieldType, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  enum: [0, 65535],
};
