import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { parseDataQuery } from "./data-query.js";
import { DataQuerySchema } from "./gen/pluginv2/backend_pb.js";

const encoder = new TextEncoder();

describe("parseDataQuery", () => {
  it("parses the model, the counts and the time range as Dates", () => {
    const query = parseDataQuery(
      create(DataQuerySchema, {
        refId: "A",
        queryType: "t",
        maxDataPoints: 100n,
        intervalMS: 15n,
        json: encoder.encode('{"x":[1]}'),
        timeRange: { fromEpochMS: 1000n, toEpochMS: 2000n },
      }),
    );
    expect(query).toMatchObject({
      refId: "A",
      queryType: "t",
      maxDataPoints: 100,
      intervalMs: 15,
      model: { x: [1] },
      timeRange: { from: new Date(1000), to: new Date(2000) },
    });
  });

  it("makes invalid JSON, a model that is no object and an out-of-range time 400s", () => {
    const bad =
      (json: string, fromEpochMS = 0n) =>
      () =>
        parseDataQuery(
          create(DataQuerySchema, { refId: "B", json: encoder.encode(json), timeRange: { fromEpochMS } }),
        );
    expect(bad("{")).toThrow(/invalid query JSON for refId "B"/);
    expect(bad("[1]")).toThrow(/not an object/);
    expect(bad("{}", 9_000_000_000_000_000n)).toThrow(/outside the dates JavaScript holds/);
  });
});
