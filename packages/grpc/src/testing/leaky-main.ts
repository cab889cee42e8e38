// The entry of a plugin executable whose handlers do every careless thing with a data source's
// secret: log the settings, the context and the request, print them, throw errors holding them.
// The security test (serve-secrets.test.ts) runs it and looks for the secret in what leaves it.
import { definePlugin, type PluginContext, PluginError } from "@gfsdk/core";
import { serve } from "../serve.js";

/** The secret of the first data source the plugin is called with. */
function secretOf(context: PluginContext): string {
  return context.dataSourceInstanceSettings?.decryptedSecureJsonData.password ?? "";
}

const plugin = definePlugin({
  checkHealth: ({ pluginContext, logger, headers }) => {
    const settings = pluginContext.dataSourceInstanceSettings;
    logger.info("health check", { settings, pluginContext, headers });
    logger.info("the secrets", { secrets: settings?.decryptedSecureJsonData });
    logger.warn(`connecting with password ${secretOf(pluginContext)}`);
    console.log("console.log", settings?.decryptedSecureJsonData);
    console.error("console.error", JSON.stringify(settings?.decryptedSecureJsonData));
    process.stderr.write(`process.stderr.write ${secretOf(pluginContext)}\n`);
    throw new Error(`cannot log in as admin:${secretOf(pluginContext)}@db`);
  },
  queryTypes: {
    plugin: {
      query: (_query, { pluginContext }) => {
        throw new PluginError(`bad password ${secretOf(pluginContext)}`, { status: 401 });
      },
    },
    thrown: {
      query: (_query, { pluginContext }) => {
        throw new Error(`upstream said: token=${secretOf(pluginContext)}`);
      },
    },
  },
  callResource: (request, { pluginContext, logger }) => {
    logger.info("resource request", {
      request,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      pluginContext,
    });
    throw new PluginError(`the resource needs ${secretOf(pluginContext)}`, { source: "downstream" });
  },
  subscribeStream: ({ path }, { pluginContext }) => {
    throw new Error(`cannot subscribe to ${path} with ${secretOf(pluginContext)}`);
  },
});

await serve(plugin, { pluginId: "gfsdk-leaky-datasource", version: "0.0.0" });
