import { createPluginTester } from "@gfsdk/in-process/testing";
import { afterAll, describe, expect, it } from "vitest";
import { plugin } from "./plugin.js";

describe("plugin", () => {
  // Calls the plugin as Grafana would, with these app settings unless a call says otherwise.
  const tester = createPluginTester(plugin, { app: { jsonData: { greeting: "Hi" } } });
  afterAll(() => tester.close());

  it("reports a working app", async () => {
    const health = await tester.checkHealth();
    expect(health.status).toBe("OK");
    expect(health.message).toBe("App is working");
  });

  it("reports an empty greeting", async () => {
    const health = await tester.checkHealth({ app: { jsonData: { greeting: " " } } });
    expect(health.status).toBe("ERROR");
  });

  it("greets the signed-in user", async () => {
    const res = await tester.callResource({ path: "hello", user: { name: "Ada" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ message: "Hi, Ada!" });
  });

  it("answers 404 for other resources and 405 for another method", async () => {
    expect((await tester.callResource({ path: "nothing" })).status).toBe(404);
    const res = await tester.callResource({ method: "POST", path: "hello" });
    expect(res.status).toBe(405);
  });
});
