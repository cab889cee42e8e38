import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DownstreamError } from "@gfsdk/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "./http-client.js";
import { createObserverMiddleware } from "./observer-middleware.js";
import { testPluginContext } from "./testing/plugin-context.js";

describe("createObserverMiddleware", () => {
  const server = createServer((req, res) => res.end(`traceparent=${req.headers.traceparent}`));
  let url = "";
  beforeAll(async () => {
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("reports each request, its outcome and its body size, and sends the headers it adds", async () => {
    const events: string[] = [];
    const observer = createObserverMiddleware((request) => {
      request.headers.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      events.push(`start ${request.method} ${new URL(request.url).pathname}`);
      return {
        end: (outcome) =>
          events.push(
            outcome instanceof Response ? `end ${outcome.status}` : `error ${(outcome as Error).name}`,
          ),
        responseSize: (bytes) => events.push(`size ${bytes}`),
      };
    });
    const http = createHttpClient({ pluginContext: testPluginContext({ url }) }, { middlewares: [observer] });
    try {
      const body = await (await http.fetch("/a")).text();
      expect(body).toBe("traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      expect(events).toEqual(["start GET /a", "end 200", `size ${body.length}`]);
      events.length = 0;
      const closed = createServer();
      closed.listen(0, "127.0.0.1");
      await once(closed, "listening");
      const port = (closed.address() as AddressInfo).port;
      await new Promise((r) => closed.close(r));
      const error = await http.fetch(`http://127.0.0.1:${port}/b`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownstreamError);
      expect(events).toEqual(["start GET /b", "error DownstreamError"]);
    } finally {
      await http.close();
    }
  });
});
