/** Column alignment: left for text, right for numbers. */
export type Align = "left" | "right";

/** Formats a Markdown table with padded columns. `align` defaults to left for the first column, right for the rest. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): string {
  const aligns = header.map((_, i) => align?.[i] ?? (i === 0 ? "left" : "right"));
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, i) => (aligns[i] === "right" ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (aligns[i] === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
