import type { Field } from "./field.js";
import { goTypeName } from "./field-type.js";
import type { Frame } from "./frame.js";
import { stringifyJSON } from "./json-text.js";

/** Options of `Frame.toString` / {@link formatFrameTable}. */
export interface FrameTableOptions {
  /** Maximum rows shown; more rows end with a `...` row. Default 10; -1 = all. */
  maxRows?: number;
  /** Maximum fields shown (≥ 2); more fields end with a `...+N field...` column. Default 10; -1 = all. */
  maxFields?: number;
}

/** Formats a time in nanoseconds like Go's time.Time: `2019-09-09 14:30:45.123456789 +0000 UTC`. */
export function formatNanos(ns: bigint): string {
  let ms = ns / 1_000_000n;
  let rest = ns % 1_000_000n;
  if (rest < 0n) {
    ms -= 1n;
    rest += 1_000_000n;
  }
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return `${ns}ns`;
  const iso = date.toISOString();
  const fraction = `${iso.slice(20, 23)}${rest.toString().padStart(6, "0")}`.replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === "" ? "" : `.${fraction}`} +0000 UTC`;
}

function formatCell(field: Field, row: number): string {
  const value = field.at(row);
  if (value === null) return "null";
  switch (field.type) {
    case "time":
      return formatNanos(value as bigint);
    case "json":
      return stringifyJSON(value);
    case "float32":
    case "float64": {
      const n = value as number;
      return Number.isNaN(n) ? "NaN" : n === Infinity ? "+Inf" : n === -Infinity ? "-Inf" : String(n);
    }
    case "string":
      // Keep one row per line.
      return (value as string).replace(/\r?\n/g, "\\n").replace(/\t/g, "\\t");
    default:
      return String(value);
  }
}

function formatLabels(field: Field): string {
  if (field.labels === undefined) return "";
  return Object.keys(field.labels)
    .sort()
    .map((key) => `${key}=${field.labels![key]}`)
    .join(", ");
}

/**
 * Renders a frame as a bordered text table in the style of the Go SDK's `Frame.String()`: name,
 * dimensions, one header cell per field (name, labels, Go type), then the rows.
 */
export function formatFrameTable(frame: Frame, options: FrameTableOptions = {}): string {
  const maxRows = options.maxRows ?? 10;
  const maxFields = options.maxFields ?? 10;
  const rowCount = frame.validate();
  const fields = frame.fields;
  const exceedsWidth = maxFields >= 0 && fields.length > Math.max(maxFields, 2);
  const shownFields = exceedsWidth ? Math.max(maxFields, 2) - 1 : fields.length;
  const exceedsLength = maxRows >= 0 && rowCount > maxRows;
  const shownRows = exceedsLength ? Math.max(maxRows - 1, 0) : rowCount;

  const headers: string[][] = fields
    .slice(0, shownFields)
    .map((field) => [
      `Name: ${field.name}`,
      `Labels: ${formatLabels(field)}`,
      `Type: []${goTypeName(field.type, field.nullable)}`,
    ]);
  if (exceedsWidth) headers.push([`...+${fields.length - shownFields} field...`, "", ""]);

  const rows: string[][] = [];
  for (let row = 0; row < shownRows; row++) {
    const cells = fields.slice(0, shownFields).map((field) => formatCell(field, row));
    if (exceedsWidth) cells.push("...");
    rows.push(cells);
  }
  if (exceedsLength && maxRows > 0) rows.push(headers.map(() => "..."));

  const widths = headers.map((header, column) =>
    Math.max(...header.map(displayWidth), ...rows.map((cells) => displayWidth(cells[column]!))),
  );
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => cell + " ".repeat(widths[i]! - displayWidth(cell))).join(" | ")} |`;

  const out = [`Name: ${frame.name}`, `Dimensions: ${fields.length} Fields by ${rowCount} Rows`];
  if (fields.length > 0) {
    out.push(rule);
    for (let i = 0; i < 3; i++) out.push(line(headers.map((header) => header[i]!)));
    out.push(rule);
    if (rows.length > 0) {
      for (const cells of rows) out.push(line(cells));
      out.push(rule);
    }
  }
  return `${out.join("\n")}\n`;
}

// Counts code points so emoji do not break the columns as badly as UTF-16 length would.
function displayWidth(text: string): number {
  let width = 0;
  for (const _ of text) width++;
  return width;
}
