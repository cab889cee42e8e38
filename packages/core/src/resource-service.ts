import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { type CallScope, unimplemented } from "./call-scope.js";
import type { CallResourceResponseSchema, Resource } from "./gen/pluginv2/backend_pb.js";
import type { PluginHandlers, ResourceContext } from "./plugin.js";
import { PluginError } from "./plugin-error.js";
import { createResourceRouter } from "./resource-router.js";
import { serverStream } from "./server-stream.js";
import { fromWebResponse, resourceOrigin, toWebRequest } from "./web-resource.js";

const encoder = new TextEncoder();

type ResourceHandler = (
  request: Request,
  ctx: ResourceContext<unknown, unknown, unknown>,
) => Promise<Response>;
type AnyHandler = (request: Request, ctx: unknown) => Response | Promise<Response>;

/**
 * The one handler of every resource call: the plugin's routes, with `callResource` as the fallback
 * for paths they do not match; undefined when the plugin has neither. Thrown errors are answered by
 * the router (`errorResponse`: their status, their source in `errorSource`), their text masked with
 * this plugin's secrets first.
 */
function resourceHandler(handlers: PluginHandlers, scope: CallScope): ResourceHandler | undefined {
  const routes = (handlers.routes ?? {}) as Record<string, AnyHandler>;
  const fallback = handlers.callResource as AnyHandler | undefined;
  if (!fallback && Object.keys(routes).length === 0) return undefined;
  const masked =
    (handler: AnyHandler): AnyHandler =>
    async (request, ctx) => {
      try {
        return await handler(request, ctx);
      } catch (error) {
        throw scope.maskError(error);
      }
    };
  const router = createResourceRouter<ResourceContext<unknown, unknown, unknown>, Record<string, AnyHandler>>(
    Object.fromEntries(Object.entries(routes).map(([key, h]) => [key, masked(h)])) as never,
    { fallback: fallback ? (masked(fallback) as ResourceHandler) : undefined },
  );
  return router;
}

/**
 * The Resource service: CallResource as a web `Request` in, a web `Response` out, streamed both
 * ways, through the plugin's router (404 and 405 answered, `callResource` the fallback). A path or
 * header Grafana should not have sent is the caller's 400, in band.
 * @private Internal code.
 */
export function createResourceService(
  scope: CallScope,
  handlers: PluginHandlers,
): ServiceImpl<typeof Resource> {
  const handle = resourceHandler(handlers, scope);
  return {
    async *callResource(req, hctx) {
      const h = handle ?? unimplemented("CallResource");
      yield* serverStream<MessageInitShape<typeof CallResourceResponseSchema>>((push) =>
        scope.run("callResource", req.pluginContext, {}, hctx, async (ctx) => {
          let request: Request;
          try {
            request = toWebRequest(req, ctx.signal);
          } catch (error) {
            // A path or header Grafana should not have sent is the caller's 400, as Go's url.Parse
            // makes it, answered in band so the host sees a status and not a failed call.
            if (!(error instanceof PluginError) || error.status !== 400) throw error;
            await push({
              code: 400,
              headers: { "content-type": { values: ["text/plain; charset=utf-8"] } },
              body: encoder.encode(scope.message(error)),
              errorSource: "plugin",
            });
            return;
          }
          const url = URL.parse(req.url, resourceOrigin) ?? new URL(request.url);
          const response = await h(request, {
            ...ctx,
            path: req.path,
            url,
            rawUrl: req.url,
            user: ctx.pluginContext.user,
            params: {},
          });
          for await (const message of fromWebResponse(response, ctx.signal)) await push(message);
        }),
      );
    },
  };
}
