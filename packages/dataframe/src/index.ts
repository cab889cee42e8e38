// Public API of @gfsdk/dataframe. Everything else in src/ is internal.

export { frameFromArrow } from "./arrow-decode.js";
export { type ArrowEncodeOptions, frameToArrow } from "./arrow-encode.js";
export { createField, type FieldInput, type FieldInputMap, type FieldOptions } from "./create-field.js";
export {
  createFrameFromSqlRows,
  type SqlColumn,
  type SqlFrameOptions,
} from "./create-frame-from-sql-rows.js";
export { nanosToDate, toEpochNanos } from "./epoch-nanos.js";
export { Field, type FieldInit, type Labels } from "./field.js";
export {
  boolField,
  type EnumFieldOptions,
  enumField,
  jsonField,
  type NumberFieldInput,
  type NumberFieldOptions,
  numberField,
  stringField,
  timeField,
} from "./field-builders.js";
export type {
  DataLink,
  EnumFieldConfig,
  FieldConfig,
  FieldTypeConfig,
  InternalDataLink,
  Threshold,
  ThresholdsConfig,
  ValueMapping,
  ValueMappingResult,
} from "./field-config.js";
export { FieldError } from "./field-error.js";
export {
  createStorage,
  FIELD_TYPES,
  type FieldStorage,
  type FieldStorageMap,
  type FieldType,
  type FieldValueMap,
  goTypeName,
  isFieldType,
  isNumericFieldType,
  type NumericFieldType,
  parseGoTypeName,
  type SimpleType,
  simpleTypeOf,
} from "./field-type.js";
export type { ColumnSpec, RowColumns } from "./fields-from-rows.js";
export type { FrameTableOptions } from "./format-frame-table.js";
export {
  createFrame,
  Frame,
  type FrameEncodeOptions,
  type FrameFormat,
  type FrameOptions,
  type FromRowsOptions,
} from "./frame.js";
export { FrameDecodeError } from "./frame-decode-error.js";
export { type FrameJSONDecodeOptions, frameFromJSON } from "./frame-json-decode.js";
export {
  type FrameJSONInclude,
  type FrameJSONOptions,
  frameToJSON,
  frameToJSONString,
} from "./frame-json-encode.js";
export type { FrameMeta, FrameType, Notice, QueryStat, VisType } from "./frame-meta.js";
export { type FramesEqualResult, framesEqual } from "./frames-equal.js";
export { type FillMissing, type LongToWideOptions, longToWide } from "./long-to-wide.js";
export { type TimeSeriesSchema, timeSeriesSchema } from "./time-series-schema.js";
export { wideToLong } from "./wide-to-long.js";
