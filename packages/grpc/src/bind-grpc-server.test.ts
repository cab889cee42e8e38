import { createLogger } from "@gfsdk/core";
import { createGrpcPluginClient } from "@gfsdk/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcServer } from "./grpc-server.js";
import { createFixturePlugin } from "./testing/fixture-plugin.js";

const silent = createLogger({ write: () => {} });

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function healthOver(address: string): Promise<string> {
  const client = createGrpcPluginClient(address);
  cleanups.push(() => client.close());
  return (await client.diagnostics.checkHealth({})).message;
}

describe("bindGrpcServer (through createGrpcServer)", () => {
  it.each(["0.0.0.0", "::", "", "192.168.1.10", "example.com"])(
    "refuses the non-loopback host %j and names listen.allowRemote",
    async (host) => {
      await expect(
        createGrpcServer(createFixturePlugin(), { listen: { network: "tcp", host }, logger: silent }),
      ).rejects.toThrow(
        new RegExp(`non-loopback host "${host.replaceAll(".", "\\.")}".*set listen\\.allowRemote: true`),
      );
    },
  );

  it("writes localhost as 127.0.0.1 in the address it reports", async () => {
    const server = await createGrpcServer(createFixturePlugin(), {
      listen: { network: "tcp", host: "localhost" },
      logger: silent,
    });
    cleanups.push(() => server.shutdown());
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await healthOver(server.address)).toBe("fixture ok");
  });

  it("listens on a non-loopback host with listen.allowRemote: true", async () => {
    const server = await createGrpcServer(createFixturePlugin(), {
      listen: { network: "tcp", host: "0.0.0.0", allowRemote: true },
      logger: silent,
    });
    cleanups.push(() => server.shutdown());
    const port = server.address.split(":").pop();
    expect(server.address).toBe(`0.0.0.0:${port}`);
    expect(await healthOver(`127.0.0.1:${port}`)).toBe("fixture ok");
  });
});
