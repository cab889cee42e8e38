import type { ServiceImpl } from "@connectrpc/connect";
import { type CallScope, unimplemented } from "./call-scope.js";
import type { ResourceConversion } from "./gen/pluginv2/backend_pb.js";
import type { PluginHandlers } from "./plugin.js";

/**
 * The ResourceConversion service: ConvertObjects. Served for hosts before SDK v0.300.0, which
 * dropped it from the protocol. @private Internal code.
 */
export function createConversionService(
  scope: CallScope,
  handlers: PluginHandlers,
): ServiceImpl<typeof ResourceConversion> {
  return {
    async convertObjects(req, hctx) {
      const h = handlers.convertObjects ?? unimplemented("ConvertObjects");
      return scope.run("convertObjects", req.pluginContext, {}, hctx, async (ctx) => h(req, ctx));
    },
  };
}
