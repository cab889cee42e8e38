import { stringifyJSON } from "./json-text.js";

/** Display names for enum values; array index = the enum value stored in the field. */
export interface EnumFieldConfig {
  /** Text per value; index 0 names value 0. */
  text?: string[];
  /** Color per value. */
  color?: string[];
  /** Icon per value. */
  icon?: string[];
  /** Description per value. */
  description?: string[];
}

/** Type-specific configuration (`config.type`). */
export interface FieldTypeConfig {
  /** Enum value names for `enum` fields. */
  enum?: EnumFieldConfig;
}

/** A link shown when clicking a value (`config.links[]`). */
export interface DataLink {
  title?: string;
  targetBlank?: boolean;
  url?: string;
  /** A link to a query in another data source. */
  internal?: InternalDataLink;
}

/** Target of a data link that opens a query in another data source. */
export interface InternalDataLink {
  query: unknown;
  datasourceUid: string;
  datasourceName: string;
  transformations?: unknown[];
  range?: unknown;
}

/** What a value mapping turns a value into. */
export interface ValueMappingResult {
  text?: string;
  color?: string;
  icon?: string;
  index?: number;
}

/** A value mapping (`config.mappings[]`), as Grafana's frontend defines it. */
export type ValueMapping =
  | { type: "value"; options: Record<string, ValueMappingResult> }
  | { type: "range"; options: { from: number | null; to: number | null; result: ValueMappingResult } }
  | { type: "regex"; options: { pattern: string; result: ValueMappingResult } }
  | { type: "special"; options: { match: string; result: ValueMappingResult } };

/** One threshold step; the first step's value is -Infinity, written as `null`. */
export interface Threshold {
  value: number | null;
  color: string;
  state?: string;
}

/** Thresholds that map values to colors/states. */
export interface ThresholdsConfig {
  mode: "absolute" | "percentage";
  steps: Threshold[];
}

/**
 * Display properties of a field (Go `data.FieldConfig`, frontend `FieldConfig`). Every key is
 * optional; unset keys are not written. `min`/`max` of NaN or ±Infinity are written as `null`.
 */
export interface FieldConfig {
  /** Overrides the displayed field name. */
  displayName?: string;
  /** Display name chosen by the data source (lower priority than `displayName`). */
  displayNameFromDS?: string;
  /** Explicit path to the field in the data source. */
  path?: string;
  /** Human-readable description. */
  description?: string;
  /** Whether the field supports ad-hoc filters. */
  filterable?: boolean;
  /** Whether values can be written back to the data source. */
  writeable?: boolean;
  /** Unit id, e.g. `ms`, `bytes`, `percent`. */
  unit?: string;
  /** Number of decimals to display. */
  decimals?: number;
  /** Known minimum value. */
  min?: number | null;
  /** Known maximum value. */
  max?: number | null;
  /** Interval between values in milliseconds. */
  interval?: number;
  /** Value mappings. */
  mappings?: ValueMapping[];
  /** Thresholds. */
  thresholds?: ThresholdsConfig;
  /** Color scheme (shape defined by Grafana's frontend). */
  color?: Record<string, unknown>;
  /** Data links. */
  links?: DataLink[];
  /** Text shown when there is no value. */
  noValue?: string;
  /** Type-specific configuration, e.g. enum value names. */
  type?: FieldTypeConfig;
  /** Panel-specific settings. */
  custom?: Record<string, unknown>;
}

// The order the Go SDK writes; empty strings and a zero interval are omitted like Go's omitempty.
const STRING_KEYS = new Set(["displayName", "displayNameFromDS", "path", "description", "unit", "noValue"]);
const KEY_ORDER = [
  "displayName",
  "displayNameFromDS",
  "path",
  "description",
  "filterable",
  "writeable",
  "unit",
  "decimals",
  "min",
  "max",
  "interval",
  "mappings",
  "thresholds",
  "color",
  "links",
  "noValue",
  "type",
  "custom",
];

/** Returns the JSON object Go would write for `config` (key order, omitted empties, null min/max). */
export function fieldConfigToJSONValue(config: FieldConfig): Record<string, unknown> {
  const source = config as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (STRING_KEYS.has(key) && value === "") return;
    if (key === "interval" && value === 0) return;
    if ((key === "min" || key === "max") && (value === null || !Number.isFinite(value))) {
      out[key] = null;
      return;
    }
    out[key] = value;
  };
  for (const key of KEY_ORDER) put(key, source[key]);
  for (const key of Object.keys(source)) {
    if (!KEY_ORDER.includes(key)) put(key, source[key]);
  }
  return out;
}

/** Serialises a field config as the Go SDK does (see {@link fieldConfigToJSONValue}). */
export function fieldConfigToJSON(config: FieldConfig): string {
  return stringifyJSON(fieldConfigToJSONValue(config));
}
