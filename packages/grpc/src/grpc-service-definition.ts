import {
  create,
  type DescMessage,
  type DescMethod,
  type DescService,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createHandlerContext,
  type HandlerContext,
  type ServiceImpl,
} from "@connectrpc/connect";
import type { Logger } from "@gfsdk/core";
import type {
  handleUnaryCall,
  MethodDefinition,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  sendUnaryData,
  UntypedHandleCall,
  UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { headersToMetadata, metadataToHeaders } from "./grpc-metadata.js";
import { toGrpcStatus } from "./grpc-status.js";

/** Options of {@link createGrpcServiceDefinition}. */
export interface GrpcServiceDefinitionOptions {
  /** Told about failures that are not `ConnectError`s: core maps every handler error, so these are bugs. */
  logger?: Logger;
}

/** A protobuf-es service as grpc-js wants it: the method table and the handlers. */
export interface GrpcServiceDefinition {
  definition: ServiceDefinition;
  implementation: UntypedServiceImplementation;
}

type AnyMessage = MessageShape<DescMessage>;
type AnyInit = MessageInitShape<DescMessage>;
type Impl = (request: AnyMessage, context: HandlerContext) => unknown;

/**
 * Builds a grpc-js service from a generated `DescService` and a Connect `ServiceImpl`, so grpc-js
 * serves exactly what the descriptors say with no second codegen: each method's path is
 * `/<package.Service>/<Method>`, requests are decoded with `fromBinary` and responses encoded with
 * `toBinary`. Each call gets a Connect `HandlerContext` whose signal aborts when the caller cancels or
 * its deadline passes; a failure ends the call with {@link toGrpcStatus}. Unary and server-streaming
 * methods only: the protocol has no others, and a service with one is refused.
 */
export function createGrpcServiceDefinition(
  service: DescService,
  impl: ServiceImpl<DescService>,
  options: GrpcServiceDefinitionOptions = {},
): GrpcServiceDefinition {
  const definition: Record<string, MethodDefinition<AnyMessage, AnyInit>> = {};
  const implementation: UntypedServiceImplementation = {};
  const methods = impl as unknown as Record<string, Impl | undefined>;
  for (const method of service.methods) {
    const fn = methods[method.localName]?.bind(impl);
    implementation[method.localName] = handler(service, method, fn, options.logger);
    definition[method.localName] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: false,
      responseStream: method.methodKind === "server_streaming",
      originalName: method.name,
      requestSerialize: serializer(method.input),
      requestDeserialize: (bytes: Buffer) => fromBinary(method.input, bytes),
      responseSerialize: serializer(method.output),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    };
  }
  return { definition, implementation };
}

function serializer(schema: DescMessage): (init: AnyInit) => Buffer {
  return (init) => {
    const bytes = toBinary(schema, create(schema, init));
    // A view, not a copy: responses are the hot path (QueryData frames).
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function handler(
  service: DescService,
  method: DescMethod,
  fn: Impl | undefined,
  logger?: Logger,
): UntypedHandleCall {
  const impl: Impl =
    fn ??
    (() => {
      throw new ConnectError(`${service.typeName}.${method.name} is not implemented`, Code.Unimplemented);
    });
  const fail = (error: unknown) => {
    if (!(error instanceof ConnectError))
      logger?.error("gRPC handler failed", { method: method.name, error });
    return toGrpcStatus(error);
  };
  switch (method.methodKind) {
    case "unary":
      return ((call: ServerUnaryCall<AnyMessage, AnyInit>, callback: sendUnaryData<AnyInit>) => {
        const context = handlerContext(service, method, call);
        Promise.resolve()
          .then(() => impl(call.request, context))
          .then(
            (response) => {
              sendHeaders(call, context);
              callback(null, response as AnyInit, headersToMetadata(context.responseTrailer));
            },
            (error: unknown) => callback(fail(error)),
          )
          .finally(() => context.abort(callFinished()));
      }) satisfies handleUnaryCall<AnyMessage, AnyInit>;
    case "server_streaming":
      return (call: ServerWritableStream<AnyMessage, AnyInit>) => {
        const context = handlerContext(service, method, call);
        void (async () => {
          try {
            const responses = impl(call.request, context) as AsyncIterable<AnyInit>;
            let first = true;
            for await (const response of responses) {
              // Headers go out with the first message; later changes cannot be sent.
              if (first) sendHeaders(call, context);
              first = false;
              if (!call.write(response)) await drained(call, context.signal);
              if (context.signal.aborted) throw context.signal.reason;
            }
            if (first) sendHeaders(call, context);
            call.end(headersToMetadata(context.responseTrailer));
          } catch (error) {
            // A cancelled call has no one left to tell.
            if (!call.cancelled) call.emit("error", fail(error));
          } finally {
            context.abort(callFinished());
          }
        })();
      };
    default:
      // pluginv2 and go-plugin have none; refuse at startup rather than fail calls later.
      throw new Error(`${service.typeName}.${method.name}: ${method.methodKind} methods are not supported`);
  }
}

interface GrpcCall {
  metadata: ServerUnaryCall<unknown, unknown>["metadata"];
  cancelled: boolean;
  getDeadline(): Date | number;
  getHost(): string;
  sendMetadata(metadata: ServerUnaryCall<unknown, unknown>["metadata"]): void;
  once(event: "cancelled", listener: () => void): unknown;
}

/**
 * Abort reason once a call has finished: made once, since an Error per call costs a stack trace,
 * and on first use, since a ConnectError's `new Headers()` loads Node's fetch (undici, ~45 ms),
 * which would delay the handshake.
 */
let callFinishedReason: ConnectError | undefined;
function callFinished(): ConnectError {
  callFinishedReason ??= new ConnectError("the call has finished", Code.Canceled);
  return callFinishedReason;
}

function handlerContext(service: DescService, method: DescMethod, call: GrpcCall) {
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  const context = createHandlerContext({
    service,
    method,
    protocolName: "grpc",
    requestMethod: "POST",
    url: `http://${call.getHost() || "localhost"}/${service.typeName}/${method.name}`,
    timeoutMs: Number.isFinite(deadlineMs) ? Math.max(0, deadlineMs - Date.now()) : undefined,
    requestHeader: metadataToHeaders(call.metadata),
  });
  // grpc-js also reports "cancelled" when a finished call's stream closes: skip the error then.
  const cancel = () => {
    if (!context.signal.aborted) context.abort(new ConnectError("the call was cancelled", Code.Canceled));
  };
  if (call.cancelled) cancel();
  else call.once("cancelled", cancel);
  return context;
}

/** Sends the handler's response headers, if it set any. */
function sendHeaders(call: GrpcCall, context: HandlerContext): void {
  let any = false;
  context.responseHeader.forEach(() => {
    any = true;
  });
  if (any) call.sendMetadata(headersToMetadata(context.responseHeader));
}

function drained(call: ServerWritableStream<AnyMessage, AnyInit>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    call.on("drain", done);
    signal.addEventListener("abort", done);
  });
}
