// google.rpc Status and ErrorInfo, as one module. @private Internal code, for adapters.
export * from "./gen/google/rpc/error_details_pb.js";
export * from "./gen/google/rpc/status_pb.js";
