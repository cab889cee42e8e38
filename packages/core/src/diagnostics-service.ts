import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { type CallScope, errorSourceOf, unimplemented } from "./call-scope.js";
import { CheckHealthResponse_HealthStatus, type Diagnostics } from "./gen/pluginv2/backend_pb.js";
import type { PluginHandlers } from "./plugin.js";

const encoder = new TextEncoder();
const emptyBytes = new Uint8Array(0);

/**
 * The Diagnostics service: CheckHealth and CollectMetrics. A health check that throws, whose
 * instance cannot be built or whose settings are invalid answers ERROR with the error's text and
 * source (v0.300.0 `errorSource`), as the Go SDK reports an unhealthy data source, not an RPC
 * error. @private Internal code.
 */
export function createDiagnosticsService(
  scope: CallScope,
  handlers: PluginHandlers,
  defaultMetrics: (() => Promise<string> | string) | undefined,
): ServiceImpl<typeof Diagnostics> {
  return {
    async checkHealth(req, hctx) {
      const h = handlers.checkHealth ?? unimplemented("CheckHealth");
      try {
        return await scope.run(
          "checkHealth",
          req.pluginContext,
          req.headers,
          hctx,
          async (ctx) => {
            const result = await h(ctx);
            const error = result.status === CheckHealthResponse_HealthStatus.ERROR;
            return {
              status: result.status,
              // Masked like thrown errors: a handler may put a secret in the text it returns.
              message: result.message ? scope.message(result.message) : "",
              jsonDetails:
                result.jsonDetails === undefined
                  ? emptyBytes
                  : encoder.encode(JSON.stringify(result.jsonDetails)),
              errorSource: error ? (result.errorSource ?? "") : "",
            };
          },
          {
            onInvalidSettings: (error) => ({
              status: CheckHealthResponse_HealthStatus.ERROR,
              message: scope.message(error),
              jsonDetails: emptyBytes,
              errorSource: error.source,
            }),
          },
        );
      } catch (error) {
        if (error instanceof ConnectError && error.code === Code.Unimplemented) throw error;
        // A cancelled call, or one past its deadline, keeps that status.
        if (hctx.signal.aborted || (error instanceof ConnectError && error.code === Code.Canceled))
          throw error;
        const connectError = error instanceof ConnectError ? error : undefined;
        return {
          status: CheckHealthResponse_HealthStatus.ERROR,
          message: connectError ? connectError.rawMessage : scope.message(error),
          errorSource: connectError ? errorSourceOf(connectError) : "plugin",
        };
      }
    },
    async collectMetrics(req, hctx) {
      const h = handlers.collectMetrics ?? defaultMetrics ?? unimplemented("CollectMetrics");
      return scope.run("collectMetrics", req.pluginContext, {}, hctx, async (ctx) => {
        const text = await h(ctx);
        return { metrics: { prometheus: typeof text === "string" ? encoder.encode(text) : text } };
      });
    },
  };
}
