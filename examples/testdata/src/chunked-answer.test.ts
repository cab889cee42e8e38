import type { ChunkedDataWriter, DataQuery } from "@gfsdk/core";
import { PluginError } from "@gfsdk/core";
import type { Frame } from "@gfsdk/dataframe";
import { describe, expect, it } from "vitest";
import { type QueryAnswer, writeChunkedAnswer } from "./chunked-answer.js";
import { rowsFrame } from "./rows-frame.js";

const range = { from: new Date(1_700_000_000_000), to: new Date(1_700_000_360_000) };

function dataQuery(refId: string, queryType: string, model: Record<string, unknown>): DataQuery {
  return {
    refId,
    queryType,
    model: model as DataQuery["model"],
    json: new TextEncoder().encode(JSON.stringify(model)),
    maxDataPoints: 100,
    intervalMs: 1000,
    timeRange: range,
  };
}

type Written =
  | { kind: "frame"; refId: string; frameId: string; frame: Frame }
  | { kind: "error"; refId: string; status: number; error: string | Error };

/** A writer that records what it is given; each write resolves when `gate` (default: at once) does. */
function recordingWriter(gate: () => Promise<void> = () => Promise.resolve()) {
  const written: Written[] = [];
  const writer: ChunkedDataWriter = {
    async writeFrame(refId, frameId, frame) {
      // testdata writes dataframe Frames only.
      written.push({ kind: "frame", refId, frameId, frame: frame as Frame });
      await gate();
    },
    async writeError(refId, status, error) {
      written.push({ kind: "error", refId, status, error });
      await gate();
    },
  };
  return { written, writer };
}

const never = (): Promise<QueryAnswer> => {
  throw new Error("answer must not be called for rows");
};

describe("writeChunkedAnswer", () => {
  it("cuts a rows frame into chunks of at most chunkRows rows under one frameId, joining into the frame", async () => {
    const { written, writer } = recordingWriter();
    await writeChunkedAnswer(
      [dataQuery("R", "rows", { rows: 2500, chunkRows: 1000 })],
      writer,
      new AbortController().signal,
      never,
    );
    const frames = written.flatMap((w) => (w.kind === "frame" ? [w] : []));
    expect(frames.map((w) => [w.refId, w.frameId, w.frame.rowCount])).toEqual([
      ["R", "R-0", 1000],
      ["R", "R-0", 1000],
      ["R", "R-0", 500],
    ]);
    const whole = rowsFrame(2500, range);
    for (let f = 0; f < 3; f++) {
      const joined = frames.flatMap((w) => w.frame.fields[f]!.toArray());
      expect(joined).toEqual(whole.fields[f]!.toArray());
    }
  });

  it("writes every other frame as one chunk under a frameId of its own", async () => {
    const { written, writer } = recordingWriter();
    const frames = [rowsFrame(2, range), rowsFrame(3, range)];
    await writeChunkedAnswer(
      [dataQuery("A", "random_walk", {})],
      writer,
      new AbortController().signal,
      async () => frames,
    );
    expect(written).toEqual([
      { kind: "frame", refId: "A", frameId: "A-0", frame: frames[0] },
      { kind: "frame", refId: "A", frameId: "A-1", frame: frames[1] },
    ]);
  });

  it("writes one error for a bad chunkRows, a failing answer and an error result, and the other queries still answer", async () => {
    const { written, writer } = recordingWriter();
    await writeChunkedAnswer(
      [
        dataQuery("C", "rows", { rows: 5, chunkRows: 0 }),
        dataQuery("U", "mystery", {}),
        dataQuery("E", "error", {}),
        dataQuery("R", "rows", { rows: 5 }),
      ],
      writer,
      new AbortController().signal,
      async (query) => {
        if (query.queryType === "error") return { error: "down", status: 502, errorSource: "downstream" };
        throw new PluginError(`unknown queryType "${query.queryType}"`, { status: 400 });
      },
    );
    const byRef = Object.fromEntries(written.map((w) => [w.refId, w]));
    expect(byRef.C).toMatchObject({ kind: "error", status: 400 });
    expect(String(((byRef.C as { error: unknown }).error as Error).message)).toContain(
      "rows.chunkRows must be an integer",
    );
    expect(byRef.U).toMatchObject({ kind: "error", status: 400 });
    expect(byRef.E).toMatchObject({ kind: "error", status: 502 });
    const e = (byRef.E as { error: unknown }).error as PluginError;
    expect([e.message, e.source]).toEqual(["down", "downstream"]);
    expect(byRef.R).toMatchObject({ kind: "frame", frameId: "R-0" });
    expect(written.filter((w) => w.refId !== "R")).toHaveLength(3);
  });

  it("builds no further chunk before the transport took the last one", async () => {
    const releases: (() => void)[] = [];
    const { written, writer } = recordingWriter(() => new Promise<void>((resolve) => releases.push(resolve)));
    const done = writeChunkedAnswer(
      [dataQuery("R", "rows", { rows: 10_000_000, chunkRows: 10 })],
      writer,
      new AbortController().signal,
      never,
    );
    // Let every microtask run: the producer must be waiting on the first write.
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toHaveLength(1);
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toHaveLength(2);
    // A transport that fails the write (the call was cancelled) ends the answer with that error.
    const failing = done.catch((error: unknown) => error);
    writer.writeFrame = () => Promise.reject(new Error("cancelled"));
    releases.shift()!();
    expect(await failing).toEqual(new Error("cancelled"));
  });

  it("rethrows an answer's error once the call is cancelled instead of writing it", async () => {
    const { written, writer } = recordingWriter();
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeChunkedAnswer([dataQuery("S", "slow", { ms: 10 })], writer, controller.signal, async () => {
        throw new Error("aborted");
      }),
    ).rejects.toThrow("aborted");
    expect(written).toHaveLength(0);
  });
});
