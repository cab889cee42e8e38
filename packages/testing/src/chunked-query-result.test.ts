import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { createFrame, numberField, stringField, timeField } from "@gfsdk/dataframe";
import { describe, expect, it } from "vitest";
import { toChunkedQueryResults } from "./chunked-query-result.js";
import { fieldValues, frameRows } from "./field-values.js";

const { JSON: JSON_FORMAT, ARROW } = pluginv2.DataFrameFormat;

function rows(from: number, values: number[]) {
  return createFrame({
    name: "series",
    fields: [
      timeField(
        "time",
        values.map((_, i) => from + i * 1000),
      ),
      numberField("value", values, { labels: { host: "a" } }),
    ],
  });
}

function chunk(
  init: MessageInitShape<typeof pluginv2.QueryChunkedDataResponseSchema>,
): pluginv2.QueryChunkedDataResponse {
  return create(pluginv2.QueryChunkedDataResponseSchema, init);
}

describe("toChunkedQueryResults", () => {
  it("joins a frameId's JSON chunks (schema first, then data only) row by row, per refId", () => {
    const results = toChunkedQueryResults([
      chunk({ refId: "A", frameId: "a-0", format: JSON_FORMAT, frame: rows(0, [1, 2]).encode("json") }),
      chunk({ refId: "B", frameId: "b", format: JSON_FORMAT, frame: rows(0, [9]).encode("json") }),
      chunk({
        refId: "A",
        frameId: "a-0",
        format: JSON_FORMAT,
        frame: rows(2000, [3]).encode("json", { include: "data" }),
      }),
    ]);
    expect(Object.keys(results).sort()).toEqual(["A", "B"]);
    const a = results.A!;
    expect(a).toMatchObject({ status: 200, error: undefined, format: "json", frameIds: ["a-0"] });
    expect(a.chunks).toHaveLength(2);
    expect(frameRows(a.frames[0]!)).toEqual([
      { time: new Date(0), value: 1 },
      { time: new Date(1000), value: 2 },
      { time: new Date(2000), value: 3 },
    ]);
    expect(a.frames[0]!.fields[1]!.labels).toEqual({ host: "a" });
    expect(fieldValues(results.B!.frames[0]!, "value")).toEqual([9]);
  });

  it("decodes each Arrow chunk as a whole file and keeps frameIds in order of first appearance", () => {
    const label = (values: string[]) => createFrame({ name: "l", fields: [stringField("s", values)] });
    const results = toChunkedQueryResults([
      chunk({ refId: "A", frameId: "second", frame: label(["x"]).encode("arrow") }),
      chunk({ refId: "A", frameId: "first", frame: label(["p"]).encode("arrow") }),
      chunk({ refId: "A", frameId: "second", frame: label(["y", "z"]).encode("arrow") }),
    ]);
    const a = results.A!;
    expect(a.format).toBe("arrow");
    expect(a.frameIds).toEqual(["second", "first"]);
    expect(a.frames.map((f) => fieldValues(f, "s"))).toEqual([["x", "y", "z"], ["p"]]);
  });

  it("reports an error chunk's message, status and source for its refId", () => {
    const results = toChunkedQueryResults([
      chunk({ refId: "A", frameId: "a", format: ARROW, frame: rows(0, [1]).encode("arrow") }),
      chunk({ refId: "B", error: "bad query", status: 400, errorSource: "plugin" }),
    ]);
    expect(results.B).toMatchObject({ status: 400, error: "bad query", errorSource: "plugin", frames: [] });
    expect(results.A).toMatchObject({ status: 200, error: undefined });
  });

  it("refuses a data-only JSON chunk that starts a frameId, naming refId and frameId", () => {
    expect(() =>
      toChunkedQueryResults([
        chunk({
          refId: "A",
          frameId: "f",
          format: JSON_FORMAT,
          frame: rows(0, [1]).encode("json", { include: "data" }),
        }),
      ]),
    ).toThrow(/chunk 0 of refId "A", frameId "f" cannot be decoded/);
  });

  it("refuses chunks of one frameId whose fields differ", () => {
    const other = createFrame({ name: "series", fields: [stringField("other", ["x"])] });
    expect(() =>
      toChunkedQueryResults([
        chunk({ refId: "A", frameId: "f", frame: rows(0, [1]).encode("arrow") }),
        chunk({ refId: "A", frameId: "f", frame: other.encode("arrow") }),
      ]),
    ).toThrow(/the chunks of frame "f" cannot be joined: .*frame 1 has 1 fields, the first has 2/);
  });
});
