import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { headersToMetadata, metadataToHeaders } from "./grpc-metadata.js";

describe("metadataToHeaders", () => {
  it("keeps every value, and binary values as unpadded base64", () => {
    const metadata = new Metadata();
    metadata.add("traceparent", "00-abc-def-01");
    metadata.add("loggerparamsctxmetadata", "a:::1");
    metadata.add("loggerparamsctxmetadata", "b:::2");
    metadata.add("trace-bin", Buffer.from([1, 2, 3, 4]));
    const headers = metadataToHeaders(metadata);
    expect(headers.get("traceparent")).toBe("00-abc-def-01");
    expect(headers.get("loggerparamsctxmetadata")).toBe("a:::1, b:::2");
    expect(headers.get("trace-bin")).toBe("AQIDBA");
  });
});

describe("headersToMetadata", () => {
  it("decodes binary values and drops keys gRPC owns", () => {
    const metadata = headersToMetadata(
      new Headers({ "x-a": "1", "x-b-bin": "AQIDBA", "content-type": "text/plain", "grpc-message": "no" }),
    );
    expect(metadata.get("x-a")).toEqual(["1"]);
    expect(metadata.get("x-b-bin")).toEqual([Buffer.from([1, 2, 3, 4])]);
    expect(metadata.get("content-type")).toEqual([]);
    expect(metadata.get("grpc-message")).toEqual([]);
  });
});
