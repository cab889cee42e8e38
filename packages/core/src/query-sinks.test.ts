import { describe, expect, it } from "vitest";
import type { EncodableFrame } from "./encodable-frame.js";
import { DataFrameFormat } from "./gen/pluginv2/backend_pb.js";
import { SecretRedactor } from "./logger.js";
import { createChunkSink, createCollectingSink } from "./query-sinks.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const frame = (text: string): EncodableFrame => ({
  encode: (_format, options) => encoder.encode(`${options?.include ?? "all"}:${options?.refId}:${text}`),
});

describe("createCollectingSink", () => {
  it("answers every refId of the request in order, empty ones with status 200", async () => {
    const sink = createCollectingSink(
      ["A", "B"],
      DataFrameFormat.ARROW,
      "arrow",
      new SecretRedactor(),
      false,
    );
    await sink.frame("B", "f", frame("b"));
    expect(sink.answered("A")).toBe(false);
    expect(sink.answered("B")).toBe(true);
    const responses = sink.responses();
    expect(Object.keys(responses)).toEqual(["A", "B"]);
    expect(responses.A).toMatchObject({ frames: [], status: 200, error: "" });
    expect(responses.B?.frames?.map((f) => decoder.decode(f as Uint8Array))).toEqual(["all:B:b"]);
  });

  it("keeps a refId's first error and masks the redactor's secrets in it", async () => {
    const redactor = new SecretRedactor();
    redactor.set("ds", ["hunter2-secret"]);
    const sink = createCollectingSink(["A"], DataFrameFormat.JSON, "json", redactor, false);
    await sink.error("A", 502, new Error("token hunter2-secret refused"), "downstream");
    await sink.error("A", 500, "second", "plugin");
    expect(sink.responses().A).toMatchObject({
      status: 502,
      error: "token [redacted] refused",
      errorSource: "downstream",
    });
  });
});

describe("createChunkSink", () => {
  it("sends schema and data for a frameId's first chunk, data after, and an empty status chunk for an unanswered refId", async () => {
    const sent: { refId: string; frameId?: string; frame?: Uint8Array; status?: number; error?: string }[] =
      [];
    const sink = createChunkSink(
      async (chunk) => {
        sent.push(chunk as (typeof sent)[number]);
      },
      DataFrameFormat.JSON,
      "json",
      new SecretRedactor(),
    );
    await sink.frame("A", "x", frame("1"));
    await sink.frame("A", "x", frame("2"));
    await sink.frame("A", "y", frame("3"));
    await sink.done("A");
    await sink.done("B");
    await sink.error("C", 400, "bad", "plugin");
    expect(
      sent.map((c) => [
        c.refId,
        c.frameId ?? "",
        c.frame ? decoder.decode(c.frame) : "",
        c.status,
        c.error ?? "",
      ]),
    ).toEqual([
      ["A", "x", "all:A:1", 200, ""],
      ["A", "x", "data:A:2", 200, ""],
      ["A", "y", "all:A:3", 200, ""],
      ["B", "", "", 200, ""],
      ["C", "", "", 400, "bad"],
    ]);
  });
});
