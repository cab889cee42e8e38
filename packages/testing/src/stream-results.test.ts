import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { createFrame, numberField } from "@gfsdk/dataframe";
import { describe, expect, it } from "vitest";
import { fieldValues } from "./field-values.js";
import { createStreamDataReader, toPublishResult, toSubscribeResult } from "./stream-results.js";

const encoder = new TextEncoder();
const counter = (values: number[]) => createFrame({ name: "counter", fields: [numberField("n", values)] });

describe("createStreamDataReader", () => {
  it("decodes a frame with schema, then data-only packets against that schema", () => {
    const read = createStreamDataReader();
    const first = read(counter([1]).encode("json"));
    const next = read(counter([2, 3]).encode("json", { include: "data" }));
    expect(first.frame?.name).toBe("counter");
    expect(fieldValues(first.frame!, "n")).toEqual([1]);
    expect(next.frame?.name).toBe("counter");
    expect(fieldValues(next.frame!, "n")).toEqual([2, 3]);
  });

  it("gives other JSON as is, with no frame, and empty data as undefined", () => {
    const read = createStreamDataReader();
    expect(read(encoder.encode('{"x":1}'))).toEqual({ json: { x: 1 }, frame: undefined });
    // A {data} object before any schema is plain JSON, not a frame.
    expect(read(encoder.encode('{"data":{"values":[[1]]}}')).frame).toBeUndefined();
    expect(read(new Uint8Array())).toEqual({ json: undefined, frame: undefined });
  });

  it("throws a SyntaxError quoting data that is not JSON", () => {
    expect(() => createStreamDataReader()(encoder.encode("nope"))).toThrow(
      /the stream data is not JSON: "nope"/,
    );
  });
});

describe("toSubscribeResult", () => {
  it("names the status and decodes frame initial data", () => {
    const result = toSubscribeResult(
      create(pluginv2.SubscribeStreamResponseSchema, {
        status: pluginv2.SubscribeStreamResponse_Status.OK,
        data: counter([7]).encode("json"),
      }),
    );
    expect(result.status).toBe("OK");
    expect(fieldValues(result.frame!, "n")).toEqual([7]);
  });
});

describe("toPublishResult", () => {
  it("names the status", () => {
    const denied = create(pluginv2.PublishStreamResponseSchema, {
      status: pluginv2.PublishStreamResponse_Status.PERMISSION_DENIED,
    });
    expect(toPublishResult(denied)).toEqual({
      status: "PERMISSION_DENIED",
      json: undefined,
      frame: undefined,
    });
  });
});
