import type { FieldType, FieldValueMap } from "./field-type.js";

/** The value a non-nullable field holds where nothing was set (Go's zero value): 0, 0n, "", false, epoch 0, JSON null. */
export function zeroValue<T extends FieldType>(type: T): FieldValueMap[T] {
  switch (type) {
    case "int64":
    case "uint64":
    case "time":
      return 0n as FieldValueMap[T];
    case "string":
      return "" as FieldValueMap[T];
    case "bool":
      return false as FieldValueMap[T];
    case "json":
      return null as FieldValueMap[T];
    default:
      return 0 as FieldValueMap[T];
  }
}
