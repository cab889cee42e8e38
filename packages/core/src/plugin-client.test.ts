import { describe, expect, it } from "vitest";
import { CheckHealthResponse_HealthStatus as HealthStatus } from "./gen/pluginv2/backend_pb.js";
import { definePlugin } from "./plugin.js";
import { clientFor } from "./testing/service-client.js";

describe("createPluginClient", () => {
  it("has a typed client for every pluginv2 service", async () => {
    const { client } = clientFor(
      definePlugin({ checkHealth: () => ({ status: HealthStatus.OK, message: "up" }) }),
    );
    expect(Object.keys(client).sort()).toEqual([
      "admission",
      "conversion",
      "data",
      "diagnostics",
      "resource",
      "stream",
    ]);
    expect((await client.diagnostics.checkHealth({})).message).toBe("up");
  });
});
