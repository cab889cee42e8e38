import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { googleRpc } from "@gfsdk/core/protocol";
import type { Metadata } from "@grpc/grpc-js";

/**
 * The codes a call may fail with when its request is malformed or refused: the request did not
 * parse (INVALID_ARGUMENT, or INTERNAL from grpc-js's deserializer), was too large
 * (RESOURCE_EXHAUSTED), asks for a handler the plugin lacks (UNIMPLEMENTED), or the plugin
 * refused it as a whole (UNKNOWN, then with the `errorSource` Grafana reads). DEADLINE_EXCEEDED (a
 * hang), UNAVAILABLE (a crash or a closed connection) and the others are never right here.
 */
export const clearFailureCodes: ReadonlySet<Code> = new Set([
  Code.InvalidArgument,
  Code.Internal,
  Code.ResourceExhausted,
  Code.Unimplemented,
  Code.Unknown,
]);

/**
 * Why an error is not a clear failure, or undefined when it is: a code from
 * {@link clearFailureCodes} with a message, and for UNKNOWN an `ErrorInfo` with `errorSource`
 * (`plugin` or `downstream`): an UNKNOWN without it is an exception that escaped core's mapping.
 */
export function unclearFailure(
  code: Code,
  message: string,
  errorSource: string | undefined,
): string | undefined {
  if (!clearFailureCodes.has(code)) return `code ${Code[code] ?? code} (${JSON.stringify(message)})`;
  if (message.trim() === "") return `code ${Code[code]} without a message`;
  if (code === Code.Unknown && errorSource !== "plugin" && errorSource !== "downstream")
    return `UNKNOWN without an errorSource (${JSON.stringify(message)})`;
  return undefined;
}

/** The `errorSource` of the `google.rpc.ErrorInfo` in a gRPC call's `grpc-status-details-bin` trailer. */
export function grpcErrorSource(metadata: Metadata): string | undefined {
  const [bin] = metadata.get("grpc-status-details-bin");
  if (!(bin instanceof Buffer)) return undefined;
  const status = fromBinary(googleRpc.StatusSchema, bin);
  for (const detail of status.details) {
    const info = anyUnpack(detail, googleRpc.ErrorInfoSchema);
    if (info) return info.metadata.errorSource;
  }
  return undefined;
}
