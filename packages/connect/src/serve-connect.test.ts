import type { AddressInfo } from "node:net";
import { createLogger, definePlugin, HealthStatus } from "@gfsdk/core";
import { afterEach, describe, expect, it } from "vitest";
import { type ConnectServer, serveConnect } from "./serve-connect.js";

const logger = createLogger({ write: () => {} });
const plugin = definePlugin({ checkHealth: () => ({ status: HealthStatus.OK, message: "ok" }) });

const servers: ConnectServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(options: Parameters<typeof serveConnect>[1]): Promise<ConnectServer> {
  const server = await serveConnect(plugin, { logger, ...options });
  servers.push(server);
  return server;
}

/** CheckHealth over Connect JSON at `url`. */
async function health(url: string): Promise<unknown> {
  const res = await fetch(`${url}/pluginv2.Diagnostics/CheckHealth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  return res.json();
}

describe("serveConnect", () => {
  it("binds 127.0.0.1 by default", async () => {
    const server = await start({});
    expect((server.server.address() as AddressInfo).address).toBe("127.0.0.1");
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await health(server.url)).toMatchObject({ status: "OK" });
  });

  it("binds a loopback host given in brackets", async () => {
    const server = await start({ host: "[::1]" }).catch((error: NodeJS.ErrnoException) => {
      // A machine without IPv6 loopback cannot run this case; anything else is a failure.
      if (error.code === "EADDRNOTAVAIL" || error.code === "EAFNOSUPPORT") return undefined;
      throw error;
    });
    if (!server) return;
    expect((server.server.address() as AddressInfo).address).toBe("::1");
    expect(server.url).toBe(`http://[::1]:${server.port}`);
  });

  it.each(["0.0.0.0", "::", "", "192.168.1.10", "example.com"])(
    "refuses the non-loopback host %j, naming allowRemote, before it listens",
    async (host) => {
      let built = 0;
      const counted = definePlugin({
        createInstance: () => ({ n: built++ }),
        checkHealth: () => ({ status: HealthStatus.OK }),
      });
      await expect(serveConnect(counted, { host, logger })).rejects.toThrow(
        new RegExp(`non-loopback host "${host.replaceAll(".", "\\.")}".*set allowRemote: true`),
      );
      expect(built).toBe(0);
    },
  );

  it("listens on every interface with allowRemote: true", async () => {
    const server = await start({ host: "0.0.0.0", allowRemote: true });
    expect((server.server.address() as AddressInfo).address).toBe("0.0.0.0");
    expect(await health(`http://127.0.0.1:${server.port}`)).toMatchObject({ status: "OK" });
  });
});
