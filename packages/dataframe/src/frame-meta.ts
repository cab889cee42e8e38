import { type FieldConfig, fieldConfigToJSONValue } from "./field-config.js";
import { stringifyJSON } from "./json-text.js";

/** Known frame shapes (`meta.type`); any other string is allowed too. */
export type FrameType =
  | "timeseries-wide"
  | "timeseries-long"
  | "timeseries-many"
  | "timeseries-multi"
  | "directory-listing"
  | "table"
  | "numeric-wide"
  | "numeric-multi"
  | "numeric-long"
  | "log-lines"
  | (string & {});

/** Preferred Explore visualisation (`meta.preferredVisualisationType`). */
export type VisType = "graph" | "table" | "logs" | "trace" | "nodeGraph" | "flamegraph" | (string & {});

/** A query statistic: a field config (its `displayName` must be set) plus a value. */
export interface QueryStat extends FieldConfig {
  value: number;
}

/** A notice Grafana shows next to the data. `severity` defaults to `info` when written. */
export interface Notice {
  severity?: "info" | "warning" | "error";
  text: string;
  /** Absolute URL or path relative to Grafana's root. */
  link?: string;
  /** Inspector tab to suggest. */
  inspect?: "meta" | "error" | "data" | "stats";
}

/**
 * Frame metadata (Go `data.FrameMeta`). Written as JSON in the Arrow schema metadata key `meta` and
 * in frame JSON `schema.meta`. `typeVersion` is always written and defaults to `[0, 0]`.
 */
export interface FrameMeta {
  /** Asserts that the frame matches a known shape, e.g. `timeseries-wide`. */
  type?: FrameType;
  /** Version of `type` as `[major, minor]`; default `[0, 0]`. */
  typeVersion?: [number, number];
  /** Browsable path on the data source. */
  path?: string;
  /** Separator for `path`; Grafana assumes `/` when unset. */
  pathSeparator?: string;
  /** Data-source specific values. */
  custom?: unknown;
  /** Query statistics. */
  stats?: QueryStat[];
  /** Notices for the user. */
  notices?: Notice[];
  /** Grafana Live channel with real-time updates for this data. */
  channel?: string;
  /** Preferred visualisation in Explore. */
  preferredVisualisationType?: VisType;
  /** Panel plugin id to render the data with in Explore. */
  preferredVisualisationPluginId?: string;
  /** The query sent to the underlying system, shown in the query inspector. */
  executedQueryString?: string;
  /** Topic the frame belongs to, e.g. `annotations`. */
  dataTopic?: "annotations" | (string & {});
  /** Indices of the fields whose values form a unique row id. */
  uniqueRowIdFields?: number[];
}

const STRING_KEYS = [
  "path",
  "pathSeparator",
  "channel",
  "preferredVisualisationType",
  "preferredVisualisationPluginId",
  "executedQueryString",
  "dataTopic",
];
const KNOWN_KEYS = new Set([
  "type",
  "typeVersion",
  "path",
  "pathSeparator",
  "custom",
  "stats",
  "notices",
  "channel",
  "preferredVisualisationType",
  "preferredVisualisationPluginId",
  "executedQueryString",
  "dataTopic",
  "uniqueRowIdFields",
]);

/** Returns the JSON object Go would write for `meta` (key order, omitted empties, default typeVersion). */
export function frameMetaToJSONValue(meta: FrameMeta): Record<string, unknown> {
  const source = meta as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (meta.type !== undefined && meta.type !== "") out.type = meta.type;
  out.typeVersion = meta.typeVersion ?? [0, 0];
  for (const key of STRING_KEYS.slice(0, 2)) {
    if (typeof source[key] === "string" && source[key] !== "") out[key] = source[key];
  }
  if (meta.custom !== undefined && meta.custom !== null) out.custom = meta.custom;
  if (meta.stats !== undefined && meta.stats.length > 0) {
    out.stats = meta.stats.map((stat) => ({ ...fieldConfigToJSONValue(stat), value: stat.value }));
  }
  if (meta.notices !== undefined && meta.notices.length > 0) {
    out.notices = meta.notices.map((notice) => {
      const n: Record<string, unknown> = { severity: notice.severity ?? "info", text: notice.text };
      if (notice.link) n.link = notice.link;
      if (notice.inspect) n.inspect = notice.inspect;
      return n;
    });
  }
  for (const key of STRING_KEYS.slice(2)) {
    if (typeof source[key] === "string" && source[key] !== "") out[key] = source[key];
  }
  if (meta.uniqueRowIdFields !== undefined && meta.uniqueRowIdFields.length > 0) {
    out.uniqueRowIdFields = meta.uniqueRowIdFields;
  }
  for (const key of Object.keys(source)) {
    if (!KNOWN_KEYS.has(key) && source[key] !== undefined) out[key] = source[key];
  }
  return out;
}

/** Serialises frame metadata as the Go SDK does (see {@link frameMetaToJSONValue}). */
export function frameMetaToJSON(meta: FrameMeta): string {
  return stringifyJSON(frameMetaToJSONValue(meta));
}
