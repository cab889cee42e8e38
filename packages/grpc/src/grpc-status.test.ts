import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { googleRpc, toConnectError } from "@gfsdk/core/protocol";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { statusDetailsKey, toGrpcStatus } from "./grpc-status.js";

describe("toGrpcStatus", () => {
  it("keeps a ConnectError's code and message and puts its details in grpc-status-details-bin", () => {
    const result = toGrpcStatus(toConnectError(new Error("boom")));
    expect(result.code).toBe(status.UNKNOWN);
    expect(result.details).toBe("boom");
    const [bin] = result.metadata.get(statusDetailsKey);
    const decoded = fromBinary(googleRpc.StatusSchema, bin as Buffer);
    expect(decoded.code).toBe(status.UNKNOWN);
    expect(decoded.message).toBe("boom");
    const info = decoded.details[0] && anyUnpack(decoded.details[0], googleRpc.ErrorInfoSchema);
    expect(info?.metadata.errorSource).toBe("plugin");
  });

  it("maps every Connect code to the gRPC code of the same number", () => {
    expect(toGrpcStatus(new ConnectError("x", Code.NotFound)).code).toBe(status.NOT_FOUND);
    expect(toGrpcStatus(new ConnectError("x", Code.Unimplemented)).code).toBe(status.UNIMPLEMENTED);
    expect(toGrpcStatus(new ConnectError("x", Code.ResourceExhausted)).code).toBe(status.RESOURCE_EXHAUSTED);
  });

  it("sends no details trailer for an error without details", () => {
    expect(toGrpcStatus(new ConnectError("x", Code.NotFound)).metadata.get(statusDetailsKey)).toEqual([]);
  });

  it("passes a received detail on unchanged", () => {
    const error = new ConnectError("x", Code.Internal);
    error.details.push({ type: "google.rpc.ErrorInfo", value: new Uint8Array([10, 1, 65]) });
    const [bin] = toGrpcStatus(error).metadata.get(statusDetailsKey);
    const decoded = fromBinary(googleRpc.StatusSchema, bin as Buffer);
    expect(decoded.details[0]?.typeUrl).toBe("type.googleapis.com/google.rpc.ErrorInfo");
    expect([...(decoded.details[0]?.value ?? [])]).toEqual([10, 1, 65]);
  });

  it("forwards the error's metadata but not keys gRPC owns", () => {
    const error = new ConnectError("x", Code.Internal, { "x-trace": "abc", "grpc-status": "0" });
    const metadata = toGrpcStatus(error).metadata;
    expect(metadata.get("x-trace")).toEqual(["abc"]);
    expect(metadata.get("grpc-status")).toEqual([]);
  });

  it("answers UNKNOWN with the message for anything that is not a ConnectError", () => {
    expect(toGrpcStatus(new TypeError("bad"))).toMatchObject({ code: status.UNKNOWN, details: "bad" });
    expect(toGrpcStatus("text")).toMatchObject({ code: status.UNKNOWN, details: "text" });
  });
});
