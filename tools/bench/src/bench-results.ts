// The JSON both frame benchmarks print (go/cmd/framebench and frame-bench.ts), and the round trip
// results of tools/interop's `host --bench`.

/** One benchmark frame. `rawBytes` is its size as Arrow columns (see raw-bytes.ts). */
export interface FrameInfo {
  name: string;
  rows: number;
  fields: number;
  rawBytes: number;
}

/** Operations timed on every frame. `memcpy`/`alloc-copy` copy as many bytes as the Arrow file. */
export type FrameOp =
  | "encode-arrow"
  | "decode-arrow"
  | "encode-json"
  | "decode-json"
  | "memcpy"
  | "alloc-copy";

/** Timing of one operation on one frame; `bytes` is the output of an encoder, the input of the rest. */
export interface FrameResult {
  frame: string;
  op: FrameOp;
  bytes: number;
  runs: number;
  medianMs: number;
  minMs: number;
}

/** Whether the TypeScript frame equals what Go encoded for the same frame. */
export interface FrameCheck {
  file: string;
  equal: boolean;
  difference?: string;
}

/** A frame benchmark report. */
export interface FrameReport {
  runtime: string;
  frames: FrameInfo[];
  results: FrameResult[];
  checks?: FrameCheck[];
}

/**
 * Memory of one encode of the rows frame in a fresh process. `peakRssDelta` is the RSS high-water
 * mark during the encode minus the RSS before it (bytes). TypeScript adds the growth of
 * ArrayBuffers, external memory and the V8 heap (output still alive); Go adds MemStats deltas.
 */
export interface MemoryReport {
  runtime: string;
  op: "encode-arrow" | "encode-json";
  rows: number;
  rawBytes: number;
  outputBytes: number;
  rssBeforeKB: number;
  peakRssDelta: number;
  arrayBuffersDelta?: number;
  externalDelta?: number;
  heapUsedDelta?: number;
  totalAllocDelta?: number;
  heapInuseDelta?: number;
  peakHeapDelta?: number;
}

/** One QueryData load of tools/interop `host --bench`. */
export interface HostBenchCase {
  query: "random_walk" | "rows";
  /** maxDataPoints for random_walk, rows for rows. */
  rows: number;
  concurrency: number;
  /** A Go duration, e.g. `8s`. */
  duration: string;
}

/** The JSON line of tools/interop `host --bench`. */
export interface HostBenchResult {
  plugin: string;
  query: string;
  format: string;
  rows: number;
  concurrency: number;
  durationMs: number;
  calls: number;
  errors: number;
  firstError?: string;
  callsPerSec: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  avgResponseBytes: number;
  pluginRssKB: number;
  pluginPeakRssKB: number;
  handshakeMs: number;
  pluginPid: number;
}

/** Everything one run measured; written to dist/results.json. */
export interface BenchRun {
  machine: Machine;
  command: string;
  frames?: { ts: FrameReport; go: FrameReport; memory: MemoryReport[] };
  roundTrip?: {
    cases: Array<{ case: HostBenchCase; ts: HostBenchResult; go: HostBenchResult }>;
    coldStart: ColdStart;
    /** RSS in KiB 1.5 s after the handshake line, no call made, per plugin. */
    idleRss?: ColdStart;
  };
}

/** The machine and toolchains the numbers come from. */
export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  go: string;
  date: string;
  /** `git rev-parse --short HEAD`, with `+local changes` when files outside tools/bench differ from it. */
  commit: string;
  /** 1-minute load average at the start and the end of the run: other work on the machine skews timings. */
  loadStart: number;
  loadEnd?: number;
}

/** Spawn-to-handshake-line times in ms, per plugin. */
export interface ColdStart {
  ts: number[];
  go: number[];
}
