// The TypeScript half of the frame benchmark, bundled to dist/frame-bench.mjs and run by bench-cli.ts
// in a process of its own. Prints one JSON report on stdout:
//
//   node frame-bench.mjs [--quick] [--rows N] [--all-types-rows N] [--check-dir DIR]
//   node --expose-gc frame-bench.mjs --memory encode-arrow|encode-json [--rows N]
//
// --check-dir DIR decodes Go's encodings of the same frames (DIR/<frame>.arrow|json, written by
// `framebench -dump`) and compares them with the TypeScript frames.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type Frame,
  frameFromArrow,
  frameFromJSON,
  framesEqual,
  frameToArrow,
  frameToJSON,
} from "@gfsdk/dataframe";
import { allTypesFrame } from "./all-types-frame.js";
import type { FrameCheck, FrameReport, FrameResult, MemoryReport } from "./bench-results.js";
import { FULL_PLAN, measureOp, type Plan, QUICK_PLAN } from "./measure-op.js";
import { procStatus, resetPeakRss } from "./proc-status.js";
import { rawBytes } from "./raw-bytes.js";
import { rowsFrame } from "./rows-frame.js";

/** Runs the benchmark that `args` asks for and returns the report. */
export function frameBench(args: string[]): FrameReport | MemoryReport {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      rows: { type: "string", default: "1000000" },
      "all-types-rows": { type: "string", default: "1000" },
      "check-dir": { type: "string" },
      memory: { type: "string" },
    },
  });
  const rows = Number(values.rows);
  if (values.memory !== undefined) return measureMemory(values.memory, rows);
  const plan = values.quick ? QUICK_PLAN : FULL_PLAN;
  const frames: Array<[string, Frame]> = [
    ["rows", rowsFrame(rows)],
    ["all-types", allTypesFrame(Number(values["all-types-rows"]))],
  ];
  const report: FrameReport = { runtime: `node ${process.version}`, frames: [], results: [] };
  for (const [name, frame] of frames) {
    report.frames.push({
      name,
      rows: frame.rowCount,
      fields: frame.fields.length,
      rawBytes: rawBytes(frame),
    });
    report.results.push(...benchFrame(name, frame, plan));
  }
  const dir = values["check-dir"];
  if (dir !== undefined) report.checks = frames.flatMap(([name, frame]) => checkAgainstGo(dir, name, frame));
  return report;
}

function benchFrame(name: string, frame: Frame, plan: Plan): FrameResult[] {
  const arrow = frameToArrow(frame);
  const json = frameToJSON(frame);
  const results: FrameResult[] = [];
  const time = (op: FrameResult["op"], bytes: number, run: () => unknown): void => {
    results.push({ frame: name, op, bytes, ...measureOp(plan, run) });
  };
  time("encode-arrow", arrow.byteLength, () => frameToArrow(frame));
  time("decode-arrow", arrow.byteLength, () => frameFromArrow(arrow));
  time("encode-json", json.byteLength, () => frameToJSON(frame));
  time("decode-json", json.byteLength, () => frameFromJSON(json));
  // The physical limit: copying as many bytes as the Arrow file holds, into a preallocated buffer
  // and into a fresh one.
  const target = new Uint8Array(arrow.byteLength);
  time("memcpy", arrow.byteLength, () => target.set(arrow));
  time("alloc-copy", arrow.byteLength, () => arrow.slice());
  return results;
}

function checkAgainstGo(dir: string, name: string, frame: Frame): FrameCheck[] {
  const checks: FrameCheck[] = [];
  for (const [file, decode] of [
    [`${name}.arrow`, frameFromArrow],
    [`${name}.json`, frameFromJSON],
  ] as const) {
    try {
      const result = framesEqual(decode(readFileSync(join(dir, file))), frame);
      checks.push({ file, ...result });
    } catch (error) {
      checks.push({ file, equal: false, difference: error instanceof Error ? error.message : String(error) });
    }
  }
  return checks;
}

/**
 * Encodes the rows frame once, after a warm-up on a small frame, and reports the memory it took.
 * Needs `--expose-gc` so that garbage from building the frame is gone before the measurement.
 */
function measureMemory(op: string, rows: number): MemoryReport {
  if (op !== "encode-arrow" && op !== "encode-json") {
    throw new Error(`--memory must be encode-arrow or encode-json, not ${JSON.stringify(op)}`);
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("--memory needs node --expose-gc");
  const encode = op === "encode-arrow" ? frameToArrow : frameToJSON;
  encode(rowsFrame(1000));
  const frame = rowsFrame(rows);
  // Also flattens the label strings (built by concatenation), as any first read would.
  const raw = rawBytes(frame);
  gc();
  gc();
  const before = process.memoryUsage();
  resetPeakRss();
  const { rssKB } = procStatus();
  const output = encode(frame);
  const after = process.memoryUsage();
  const { hwmKB } = procStatus();
  return {
    runtime: `node ${process.version}`,
    op,
    rows,
    rawBytes: raw,
    outputBytes: output.byteLength,
    rssBeforeKB: rssKB,
    peakRssDelta: (hwmKB - rssKB) * 1024,
    arrayBuffersDelta: after.arrayBuffers - before.arrayBuffers,
    externalDelta: after.external - before.external,
    heapUsedDelta: after.heapUsed - before.heapUsed,
  };
}

process.stdout.write(`${JSON.stringify(frameBench(process.argv.slice(2)))}\n`);
