import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { health } from "@gfsdk/core/protocol";

const { HealthCheckResponse_ServingStatus: ServingStatus } = health;

/** The service names the health service knows: the server as a whole (`""`) and go-plugin's `"plugin"`. */
export const healthServiceNames: readonly string[] = ["", "plugin"];

/** The `grpc.health.v1.Health` service go-plugin's `Ping()` calls, with a way to change its answer. */
export interface HealthService {
  impl: ServiceImpl<typeof health.Health>;
  /** Marks every known service SERVING or NOT_SERVING; open Watch streams hear of it. */
  setServing(serving: boolean): void;
  /** Ends every open Watch stream, so a graceful shutdown does not wait for them. */
  close(): void;
}

/**
 * Creates the gRPC health service: `Check` answers SERVING for `""` and `"plugin"` (NOT_SERVING
 * once shutting down) and NOT_FOUND for other names, as grpc-go's health server does; `Watch`
 * streams the current status and every change (SERVICE_UNKNOWN for other names).
 */
export function createHealthService(): HealthService {
  let serving = true;
  let closed = false;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const statusOf = (service: string) =>
    !healthServiceNames.includes(service)
      ? ServingStatus.SERVICE_UNKNOWN
      : serving
        ? ServingStatus.SERVING
        : ServingStatus.NOT_SERVING;

  const changed = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        listeners.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      listeners.add(done);
      signal.addEventListener("abort", done);
    });

  const impl: ServiceImpl<typeof health.Health> = {
    async check(request) {
      if (!healthServiceNames.includes(request.service)) {
        throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      }
      return { status: statusOf(request.service) };
    },
    async *watch(request, context): AsyncIterable<MessageInitShape<typeof health.HealthCheckResponseSchema>> {
      let last: health.HealthCheckResponse_ServingStatus | undefined;
      for (;;) {
        // The last change (NOT_SERVING at shutdown) goes out before the stream ends.
        const status = statusOf(request.service);
        if (status !== last) yield { status };
        last = status;
        if (closed || context.signal.aborted) return;
        await changed(context.signal);
      }
    },
  };
  return {
    impl,
    setServing(value) {
      if (serving === value) return;
      serving = value;
      notify();
    },
    close() {
      closed = true;
      notify();
    },
  };
}
