import type { ServiceImpl } from "@connectrpc/connect";
import type { goplugin } from "@gfsdk/core/protocol";

/**
 * Creates go-plugin's `plugin.GRPCController` service. `Shutdown` answers at once and then runs
 * `onShutdown` on a later turn, so the answer is already on its way when the server stops taking calls.
 */
export function createControllerService(onShutdown: () => void): ServiceImpl<typeof goplugin.GRPCController> {
  return {
    async shutdown() {
      setImmediate(onShutdown);
      return {};
    },
  };
}
