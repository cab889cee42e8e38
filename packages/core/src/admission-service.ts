import type { ServiceImpl } from "@connectrpc/connect";
import { type CallScope, unimplemented } from "./call-scope.js";
import type { AdmissionControl } from "./gen/pluginv2/backend_pb.js";
import type { PluginHandlers } from "./plugin.js";

/**
 * The AdmissionControl service: ValidateAdmission and MutateAdmission. Served for hosts before
 * SDK v0.300.0, which dropped it from the protocol. @private Internal code.
 */
export function createAdmissionService(
  scope: CallScope,
  handlers: PluginHandlers,
): ServiceImpl<typeof AdmissionControl> {
  return {
    async validateAdmission(req, hctx) {
      const h = handlers.validateAdmission ?? unimplemented("ValidateAdmission");
      return scope.run("validateAdmission", req.pluginContext, {}, hctx, async (ctx) => h(req, ctx));
    },
    async mutateAdmission(req, hctx) {
      const h = handlers.mutateAdmission ?? unimplemented("MutateAdmission");
      return scope.run("mutateAdmission", req.pluginContext, {}, hctx, async (ctx) => h(req, ctx));
    },
  };
}
