import { describe, expect, it } from "vitest";
import { type EncodableFrame, encodeFrame } from "./encodable-frame.js";

function throwing(error: Error, name?: string): EncodableFrame & { name?: string } {
  return {
    name,
    encode: () => {
      throw error;
    },
  };
}

describe("encodeFrame", () => {
  it("passes encoded bytes through and encodes frames", () => {
    const bytes = new Uint8Array([1, 2]);
    expect(encodeFrame(bytes, "arrow")).toBe(bytes);
    expect(encodeFrame({ encode: (format) => new TextEncoder().encode(format) }, "json")).toEqual(
      new TextEncoder().encode("json"),
    );
  });

  it("names a frame too large for frame JSON, with what to do instead", () => {
    const cause = new RangeError("Invalid string length");
    let error: Error | undefined;
    try {
      encodeFrame(throwing(cause, "logs"), "json");
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(error?.message).toBe(
      'the frame "logs" is too large to encode as frame JSON (Invalid string length): frame JSON is built as one ' +
        "string, and a JavaScript string holds at most 512 MiB; return Arrow or smaller frames",
    );
    expect(error?.cause).toBe(cause);
  });

  it("says a frame is too large for Arrow, also when it has no name", () => {
    expect(() =>
      encodeFrame(throwing(new RangeError("string column exceeds 2 GiB, the Arrow Utf8 limit")), "arrow"),
    ).toThrow(/^a frame is too large to encode as Arrow \(string column exceeds 2 GiB/);
    expect(() => encodeFrame(throwing(new RangeError("Array buffer allocation failed")), "arrow")).toThrow(
      /too large to encode as Arrow/,
    );
  });

  it("leaves every other error as it was", () => {
    const invalidTime = new RangeError("Invalid time value");
    const typeError = new TypeError("values must be numbers");
    expect(() => encodeFrame(throwing(invalidTime), "json")).toThrow(invalidTime);
    expect(() => encodeFrame(throwing(typeError), "arrow")).toThrow(typeError);
  });
});
