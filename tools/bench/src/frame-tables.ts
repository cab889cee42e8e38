import type { FrameOp, FrameReport, MemoryReport } from "./bench-results.js";
import { formatMB, formatMs, formatRate, formatRatio } from "./format-values.js";
import { markdownTable } from "./markdown-table.js";

const OP_NAMES: Record<FrameOp, string> = {
  "encode-arrow": "encode Arrow",
  "decode-arrow": "decode Arrow",
  "encode-json": "encode JSON",
  "decode-json": "decode JSON",
  memcpy: "memcpy, Arrow-file size",
  "alloc-copy": "alloc + copy, Arrow-file size",
};

/**
 * The frame tables: per frame, TypeScript against Go for every operation (median ms, time ratio,
 * MB/s of the encoder output or decoder input at the median, minimum ms), then the peak memory of
 * one rows-frame encode.
 */
export function frameTables(ts: FrameReport, go: FrameReport, memory: MemoryReport[]): string {
  const parts: string[] = [];
  for (const frame of ts.frames) {
    const goFrame = go.frames.find((f) => f.name === frame.name);
    parts.push(
      `**${frame.name} frame**: ${frame.rows.toLocaleString("en-US")} rows × ${frame.fields} fields, raw ${formatMB(frame.rawBytes)} MB` +
        (goFrame && goFrame.rawBytes !== frame.rawBytes
          ? ` (Go counts ${formatMB(goFrame.rawBytes)} MB)`
          : ""),
    );
    const rows = ts.results
      .filter((r) => r.frame === frame.name)
      .map((t) => {
        const g = go.results.find((r) => r.frame === frame.name && r.op === t.op);
        return [
          OP_NAMES[t.op],
          formatMs(t.medianMs),
          g ? formatMs(g.medianMs) : "–",
          g ? formatRatio(t.medianMs / g.medianMs) : "–",
          formatRate(t.bytes, t.medianMs),
          g ? formatRate(g.bytes, g.medianMs) : "–",
          g ? `${formatMs(t.minMs)} / ${formatMs(g.minMs)}` : formatMs(t.minMs),
          formatMB(t.bytes),
          g ? formatMB(g.bytes) : "–",
          g ? `${t.runs} / ${g.runs}` : `${t.runs}`,
        ];
      });
    parts.push(
      markdownTable(
        [
          "operation",
          "TS ms",
          "Go ms",
          "TS/Go time",
          "TS MB/s",
          "Go MB/s",
          "min ms TS / Go",
          "TS MB",
          "Go MB",
          "runs TS / Go",
        ],
        rows,
      ),
    );
  }
  const checks = ts.checks ?? [];
  if (checks.length > 0) {
    const bad = checks.filter((c) => !c.equal);
    parts.push(
      bad.length === 0
        ? `Same frames on both sides: the TypeScript frames equal Go's encodings (${checks.map((c) => c.file).join(", ")}) decoded by @gfsdk/dataframe.`
        : `**The frames differ**: ${bad.map((c) => `${c.file}: ${c.difference}`).join("; ")}`,
    );
  }
  if (memory.length > 0) {
    const raw = memory[0]!.rawBytes;
    parts.push(
      `**Peak extra memory of one encode of the rows frame** (fresh process; raw ${formatMB(raw)} MB; ` +
        "peak RSS growth = VmHWM reset just before the encode, minus RSS before it)",
    );
    const rows = memory.map((m) => {
      const isGo = m.runtime.startsWith("go");
      const detail = isGo
        ? `allocated ${formatMB(m.totalAllocDelta ?? 0)} MB; heap in use +${formatMB(m.heapInuseDelta ?? 0)} MB after, peak +${formatMB(m.peakHeapDelta ?? 0)} MB`
        : `ArrayBuffers +${formatMB(m.arrayBuffersDelta ?? 0)} MB, external +${formatMB(m.externalDelta ?? 0)} MB, V8 heap +${formatMB(m.heapUsedDelta ?? 0)} MB (after, output alive)`;
      return [
        `${isGo ? "Go" : "TS"} ${OP_NAMES[m.op]}`,
        formatMB(m.outputBytes),
        formatMB(m.peakRssDelta),
        formatRatio(m.peakRssDelta / m.rawBytes),
        detail,
      ];
    });
    parts.push(
      markdownTable(["encode", "output MB", "peak RSS growth MB", "× raw", "details"], rows, [
        "left",
        "right",
        "right",
        "right",
        "left",
      ]),
    );
  }
  return parts.join("\n\n");
}
