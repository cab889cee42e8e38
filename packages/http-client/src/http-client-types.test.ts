import { definePlugin, HealthStatus, typed } from "@gfsdk/core";
import { describe, expect, it } from "vitest";
import { createHttpClient } from "./http-client.js";

interface Settings {
  url: string;
  timeout?: number;
}

describe("createHttpClient (types)", () => {
  it("takes any handler's context and createInstance's settings, whatever the settings' types", () => {
    const plugin = definePlugin({
      jsonData: typed<Settings>(),
      secureJsonData: typed<{ apiKey: string }>(),
      createInstance: (settings) => createHttpClient(settings),
      disposeInstance: (http) => http.close(),
      checkHealth: async (ctx) => {
        await ctx.instance.forCall(ctx).fetch("/health");
        await using once = createHttpClient(ctx, { timeoutMs: 1000 });
        void once;
        return { status: HealthStatus.OK };
      },
      callResource: (request, ctx) => ctx.instance.forCall({ ...ctx, headers: request.headers }).fetch("/"),
    });
    expect(plugin.kind).toBe("gfsdk-plugin");
  });
});
