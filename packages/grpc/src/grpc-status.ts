import { create, toBinary } from "@bufbuild/protobuf";
import { type Any, AnySchema, anyPack } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { googleRpc } from "@gfsdk/core/protocol";
import type { StatusObject, status } from "@grpc/grpc-js";
import { headersToMetadata } from "./grpc-metadata.js";

/** The trailer that carries a serialized `google.rpc.Status` with the error's details. */
export const statusDetailsKey = "grpc-status-details-bin";

/**
 * The gRPC status a call ends with when its handler fails. A `ConnectError` keeps its code (Connect
 * and gRPC share the numbers), its message and its metadata, and its details travel as
 * `google.rpc.Status` in `grpc-status-details-bin`, which is where Grafana's
 * `ErrorSourceFromGrpcStatusError` looks for the `errorSource`. Anything else is UNKNOWN.
 */
export function toGrpcStatus(error: unknown): StatusObject {
  if (!(error instanceof ConnectError)) {
    const details = error instanceof Error ? error.message : String(error);
    return {
      code: grpcCode(Code.Unknown),
      details: details || "unknown error",
      metadata: headersToMetadata(new Headers()),
    };
  }
  const metadata = headersToMetadata(error.metadata);
  if (error.details.length > 0) {
    const status = create(googleRpc.StatusSchema, {
      code: error.code,
      message: error.rawMessage,
      details: error.details.map(toAny),
    });
    metadata.set(statusDetailsKey, Buffer.from(toBinary(googleRpc.StatusSchema, status)));
  }
  return { code: grpcCode(error.code), details: error.rawMessage, metadata };
}

function toAny(detail: ConnectError["details"][number]): Any {
  if ("desc" in detail) return anyPack(detail.desc, create(detail.desc, detail.value));
  // A detail that arrived from elsewhere is already serialized; pass it on unchanged.
  return create(AnySchema, { typeUrl: `type.googleapis.com/${detail.type}`, value: detail.value });
}

// Connect's codes are gRPC's codes, number for number.
function grpcCode(code: Code): status {
  return code as number as status;
}
