import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createHandlerContext } from "@connectrpc/connect";
import { health } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { createHealthService } from "./health-service.js";

const { HealthCheckResponse_ServingStatus: ServingStatus } = health;

function context() {
  return createHandlerContext({
    service: health.Health,
    method: health.Health.method.watch,
    protocolName: "grpc",
    requestMethod: "POST",
    url: "http://localhost/grpc.health.v1.Health/Watch",
  });
}

const request = (service: string) => create(health.HealthCheckRequestSchema, { service });

describe("createHealthService", () => {
  it("answers NOT_SERVING once set so, and NOT_FOUND for unknown services", async () => {
    const service = createHealthService();
    expect((await service.impl.check(request("plugin"), context())).status).toBe(ServingStatus.SERVING);
    service.setServing(false);
    expect((await service.impl.check(request("plugin"), context())).status).toBe(ServingStatus.NOT_SERVING);
    const error = await Promise.resolve(service.impl.check(request("nope"), context())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.NotFound);
  });

  it("streams SERVICE_UNKNOWN to a watcher of an unknown service until closed", async () => {
    const service = createHealthService();
    const statuses: unknown[] = [];
    const watch = (async () => {
      for await (const res of service.impl.watch(request("nope"), context())) {
        statuses.push(res.status);
        service.close();
      }
    })();
    await watch;
    expect(statuses).toEqual([ServingStatus.SERVICE_UNKNOWN]);
  });

  it("ends a watch when its caller goes away", async () => {
    const service = createHealthService();
    const ctx = context();
    const statuses: unknown[] = [];
    for await (const res of service.impl.watch(request("plugin"), ctx)) {
      statuses.push(res.status);
      ctx.abort();
    }
    expect(statuses).toEqual([ServingStatus.SERVING]);
  });
});
