import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CheckHealthResponse_HealthStatus as HealthStatus } from "./gen/pluginv2/backend_pb.js";
import { definePlugin } from "./plugin.js";
import { DownstreamError } from "./plugin-error.js";
import { clientFor, dsContext } from "./testing/service-client.js";

describe("createDiagnosticsService CheckHealth", () => {
  it("answers ERROR naming the settings path, source plugin, without running the handler", async () => {
    let called = false;
    const { client } = clientFor(
      definePlugin({
        jsonData: z.object({ url: z.string(), timeoutMs: z.number().int().default(5000) }),
        checkHealth: () => {
          called = true;
          return { status: HealthStatus.OK };
        },
      }),
    );
    const res = await client.diagnostics.checkHealth({
      pluginContext: dsContext({ url: "u", timeoutMs: "x" }),
    });
    expect(res.status).toBe(HealthStatus.ERROR);
    expect(res.message).toMatch(/^invalid jsonData: timeoutMs: /);
    expect(res.errorSource).toBe("plugin");
    expect(called).toBe(false);
  });

  it("carries a thrown error's source, and a returned ERROR's errorSource", async () => {
    const { client } = clientFor(
      definePlugin({
        jsonData: z.object({ mode: z.enum(["throw", "return", "ok"]) }),
        checkHealth: ({ jsonData }) => {
          if (jsonData.mode === "throw") throw new DownstreamError("the database is down");
          if (jsonData.mode === "return") {
            return { status: HealthStatus.ERROR, message: "quota", errorSource: "downstream" as const };
          }
          return { status: HealthStatus.OK, message: "fine", errorSource: "downstream" as const };
        },
      }),
    );
    const thrown = await client.diagnostics.checkHealth({ pluginContext: dsContext({ mode: "throw" }, 1n) });
    expect(thrown).toMatchObject({
      status: HealthStatus.ERROR,
      message: "the database is down",
      errorSource: "downstream",
    });
    const returned = await client.diagnostics.checkHealth({
      pluginContext: dsContext({ mode: "return" }, 2n),
    });
    expect(returned).toMatchObject({
      status: HealthStatus.ERROR,
      message: "quota",
      errorSource: "downstream",
    });
    // errorSource is for ERROR results only.
    const fine = await client.diagnostics.checkHealth({ pluginContext: dsContext({ mode: "ok" }, 3n) });
    expect(fine).toMatchObject({ status: HealthStatus.OK, errorSource: "" });
  });

  it("validates settings with the schema's output, defaults applied, in ctx and pluginContext", async () => {
    const { client } = clientFor(
      definePlugin({
        jsonData: z.object({ timeoutMs: z.number().default(5000) }),
        checkHealth: ({ jsonData, pluginContext }) => ({
          status: HealthStatus.OK,
          message: `${jsonData.timeoutMs}/${pluginContext.dataSourceInstanceSettings?.jsonData.timeoutMs}`,
        }),
      }),
    );
    const res = await client.diagnostics.checkHealth({ pluginContext: dsContext({}) });
    expect(res.message).toBe("5000/5000");
  });
});
