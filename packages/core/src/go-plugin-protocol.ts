// hashicorp/go-plugin's own services, as one module. @private Internal code, for the gRPC adapter.
export * from "./gen/plugin/grpc_broker_pb.js";
export * from "./gen/plugin/grpc_controller_pb.js";
export * from "./gen/plugin/grpc_stdio_pb.js";
