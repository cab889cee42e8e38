import { existsSync, statSync } from "node:fs";
import { createServer, type Server as NetServer } from "node:net";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createLogger, definePlugin } from "@gfsdk/core";
import { googleRpc, goplugin, health, pluginv2 } from "@gfsdk/core/protocol";
import { createGrpcPluginClient, type GrpcPluginClient } from "@gfsdk/testing";
import { Client, credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcServer, type GrpcServer, type GrpcServerOptions } from "./grpc-server.js";
import { createFixtureEvents, createFixturePlugin, type FixtureEvents } from "./testing/fixture-plugin.js";
import { waitFor } from "./testing/wait-for.js";
import { createUnixSocketPath } from "./unix-socket-path.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const json = (value: unknown) => encoder.encode(JSON.stringify(value));
const silent = createLogger({ write: () => {} });

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  options: Partial<GrpcServerOptions> = {},
  events: FixtureEvents = createFixtureEvents(),
): Promise<{ server: GrpcServer; client: GrpcPluginClient; events: FixtureEvents }> {
  const server = await createGrpcServer(createFixturePlugin(events), {
    listen: { network: "unix", path: await createUnixSocketPath() },
    logger: silent,
    ...options,
  });
  cleanups.push(() => server.shutdown());
  const client = createGrpcPluginClient(server.address);
  cleanups.push(() => client.close());
  return { server, client, events };
}

/** A raw grpc-js client, to send bytes no protobuf client would. */
function rawCall(
  address: string,
  path: string,
  request: Buffer,
): Promise<{ error: ServiceError | null; value?: Buffer }> {
  const client = new Client(`unix:${address}`, credentials.createInsecure());
  cleanups.push(() => client.close());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      request,
      new Metadata(),
      (error, value) => resolve({ error, value }),
    );
  });
}

async function connectError(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

describe("createGrpcServer", () => {
  it("serves the plugin's handlers over a unix socket", async () => {
    const { client } = await start();
    const healthResult = await client.diagnostics.checkHealth({});
    expect(healthResult.message).toBe("fixture ok");
    const query = await client.data.queryData({
      queries: [{ refId: "A", queryType: "echo", json: json({ hello: "world" }) }],
    });
    expect(query.responses.A?.status).toBe(200);
    expect(JSON.parse(decoder.decode(query.responses.A?.frames[0]))).toEqual({ hello: "world" });
  });

  it("creates the socket owner-only (0600) and removes it on shutdown", async () => {
    const { server } = await start();
    const stat = statSync(server.address);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
    await server.shutdown();
    expect(existsSync(server.address)).toBe(false);
  });

  it("streams every message of a server-streaming call", async () => {
    const { client } = await start();
    const bodies: string[] = [];
    for await (const message of client.resource.callResource({
      method: "GET",
      path: "stream",
      url: "/api/plugins/fixture/resources/stream?chunks=3",
    })) {
      bodies.push(decoder.decode(message.body));
    }
    expect(bodies.join("")).toBe("chunk 0\nchunk 1\nchunk 2\n");
  });

  it("aborts a stream handler's signal when the caller cancels", async () => {
    const { client, events } = await start();
    const abort = new AbortController();
    const received: string[] = [];
    const run = (async () => {
      for await (const packet of client.stream.runStream({ path: "random/1" }, { signal: abort.signal })) {
        received.push(decoder.decode(packet.data));
        if (received.length === 3) abort.abort();
      }
    })();
    expect((await connectError(run)).code).toBe(Code.Canceled);
    expect(received).toEqual(['{"i":0}', '{"i":1}', '{"i":2}']);
    await waitFor(() => events.aborted.includes("runStream"), "the runStream handler sees the cancellation");
  });

  it("answers UNKNOWN with the errorSource detail when a handler throws synchronously", async () => {
    const { client } = await start();
    const error = await connectError(client.stream.subscribeStream({ path: "throw-sync" }));
    expect(error.code).toBe(Code.Unknown);
    expect(error.rawMessage).toBe("thrown synchronously");
    const [info] = error.findDetails(googleRpc.ErrorInfoSchema);
    expect(info?.metadata.errorSource).toBe("plugin");
  });

  it("answers UNKNOWN with the errorSource detail when a handler rejects", async () => {
    const { client } = await start();
    const error = await connectError(client.stream.subscribeStream({ path: "throw-async" }));
    expect(error.code).toBe(Code.Unknown);
    expect(error.rawMessage).toBe("the database is down");
    const [info] = error.findDetails(googleRpc.ErrorInfoSchema);
    expect(info?.metadata.errorSource).toBe("downstream");
  });

  it("answers UNIMPLEMENTED for a handler the plugin lacks", async () => {
    const { client } = await start();
    const error = await connectError(client.conversion.convertObjects({}));
    expect(error.code).toBe(Code.Unimplemented);
  });

  it("aborts the signal of a handler that runs past the caller's deadline, which gets DEADLINE_EXCEEDED", async () => {
    const { server, events } = await start();
    const { error } = await new Promise<{ error: ServiceError | null }>((resolve) => {
      const client = new Client(`unix:${server.address}`, credentials.createInsecure());
      cleanups.push(() => client.close());
      const request = create(pluginv2.QueryDataRequestSchema, {
        queries: [{ refId: "A", queryType: "slow", json: json({ ms: 60_000 }) }],
      });
      client.makeUnaryRequest(
        "/pluginv2.Data/QueryData",
        (message: typeof request) => Buffer.from(toBinary(pluginv2.QueryDataRequestSchema, message)),
        (bytes: Buffer) => bytes,
        request,
        new Metadata(),
        { deadline: Date.now() + 300 },
        (error) => resolve({ error }),
      );
    });
    expect(error?.code).toBe(status.DEADLINE_EXCEEDED);
    await waitFor(() => events.aborted.includes("slow"), "the slow handler sees its signal abort");
  });

  it("answers garbage bytes with INTERNAL and keeps serving", async () => {
    const { server, client } = await start();
    // Field 1 (pluginContext) says 127 bytes follow; none do.
    const { error } = await rawCall(server.address, "/pluginv2.Data/QueryData", Buffer.from([0x0a, 0x7f]));
    expect(error?.code).toBe(status.INTERNAL);
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
  });

  it("refuses a request over 16 MiB by default with RESOURCE_EXHAUSTED naming the limit", async () => {
    const { client } = await start();
    const model = { pad: "x".repeat(16 * 1024 * 1024) };
    const error = await connectError(
      client.data.queryData({ queries: [{ refId: "A", queryType: "echo", json: json(model) }] }),
    );
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.rawMessage).toContain(String(16 * 1024 * 1024));
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
  });

  it("accepts requests up to maxReceiveMessageSize and refuses larger ones", async () => {
    const { client } = await start({ maxReceiveMessageSize: 64 * 1024 });
    const ok = await client.data.queryData({
      queries: [{ refId: "A", queryType: "echo", json: json({ pad: "x".repeat(32 * 1024) }) }],
    });
    expect(ok.responses.A?.status).toBe(200);
    const error = await connectError(
      client.data.queryData({
        queries: [{ refId: "A", queryType: "echo", json: json({ pad: "x".repeat(80 * 1024) }) }],
      }),
    );
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.rawMessage).toContain(String(64 * 1024));
  });

  it("sends responses larger than the receive limit", async () => {
    const { client } = await start({ maxReceiveMessageSize: 1024 });
    const bytes = 20 * 1024 * 1024;
    const res = await client.data.queryData({
      queries: [{ refId: "A", queryType: "big", json: json({ bytes }) }],
    });
    expect(res.responses.A?.frames[0]?.length).toBe(bytes);
  });

  it("answers 1,000 concurrent calls", async () => {
    const { client } = await start();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        client.data.queryData({ queries: [{ refId: `R${i}`, queryType: "echo", json: json({ i }) }] }),
      ),
    );
    results.forEach((res, i) => {
      expect(JSON.parse(decoder.decode(res.responses[`R${i}`]?.frames[0]))).toEqual({ i });
    });
  });

  it("listens on the first free loopback port of a range", async () => {
    const busy = await new Promise<NetServer>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => resolve(s));
    });
    cleanups.push(() => new Promise((resolve) => busy.close(resolve)));
    const taken = (busy.address() as { port: number }).port;
    const server = await createGrpcServer(createFixturePlugin(), {
      listen: { network: "tcp", minPort: taken, maxPort: taken + 50 },
      logger: silent,
    });
    cleanups.push(() => server.shutdown());
    const [host, port] = server.address.split(":");
    expect(host).toBe("127.0.0.1");
    expect(Number(port)).toBeGreaterThan(taken);
    expect(Number(port)).toBeLessThanOrEqual(taken + 50);
    const client = createGrpcPluginClient(server.address);
    cleanups.push(() => client.close());
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
  });

  it("refuses to listen on a non-loopback host", async () => {
    await expect(
      createGrpcServer(createFixturePlugin(), {
        listen: { network: "tcp", host: "0.0.0.0" },
        logger: silent,
      }),
    ).rejects.toThrow(/non-loopback/);
  });

  it("answers grpc.health.v1 Check: SERVING for plugin and the server, NOT_FOUND for others", async () => {
    const { client } = await start();
    const healthClient = createClient(health.Health, client.transport);
    expect((await healthClient.check({ service: "plugin" })).status).toBe(
      health.HealthCheckResponse_ServingStatus.SERVING,
    );
    expect((await healthClient.check({ service: "" })).status).toBe(
      health.HealthCheckResponse_ServingStatus.SERVING,
    );
    expect((await connectError(healthClient.check({ service: "other" }))).code).toBe(Code.NotFound);
  });

  it("streams the health status to Watch and ends the stream on shutdown", async () => {
    const { server, client } = await start();
    const healthClient = createClient(health.Health, client.transport);
    const statuses: health.HealthCheckResponse_ServingStatus[] = [];
    const watch = (async () => {
      for await (const res of healthClient.watch({ service: "plugin" })) {
        statuses.push(res.status);
        if (statuses.length === 1) void server.shutdown();
      }
    })();
    await watch;
    expect(statuses).toEqual([
      health.HealthCheckResponse_ServingStatus.SERVING,
      health.HealthCheckResponse_ServingStatus.NOT_SERVING,
    ]);
    await server.closed;
  });

  it("on GRPCController.Shutdown answers, finishes the call in flight, then closes", async () => {
    const { server, client, events } = await start();
    const slow = client.data.queryData({
      queries: [{ refId: "A", queryType: "slow", json: json({ ms: 300 }) }],
    });
    await waitFor(() => events.started.includes("slow"), "the slow call reaches its handler");
    await createClient(goplugin.GRPCController, client.transport).shutdown({});
    const res = await slow;
    expect(res.responses.A?.status).toBe(200);
    expect(decoder.decode(res.responses.A?.frames[0])).toBe("slept 300");
    await server.closed;
    expect(existsSync(server.address)).toBe(false);
    const after = createGrpcPluginClient(server.address);
    cleanups.push(() => after.close());
    expect((await connectError(after.diagnostics.checkHealth({}))).rawMessage).toContain("ENOENT");
  });

  it("runs onShutdownRequest instead when given", async () => {
    let requested = 0;
    const { server, client } = await start({ onShutdownRequest: () => requested++ });
    await createClient(goplugin.GRPCController, client.transport).shutdown({});
    await waitFor(() => requested === 1, "onShutdownRequest runs");
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    await server.shutdown();
  });

  it("cancels calls still running when the shutdown timeout passes", async () => {
    const { server, events } = await start({ shutdownTimeoutMs: 200 });
    // grpc-js as the client: Connect's leaves an unhandled rejection behind when a server drops a stream.
    const client = new Client(`unix:${server.address}`, credentials.createInsecure());
    cleanups.push(() => client.close());
    const request = create(pluginv2.RunStreamRequestSchema, { path: "random/1" });
    const call = client.makeServerStreamRequest(
      "/pluginv2.Stream/RunStream",
      (message: typeof request) => Buffer.from(toBinary(pluginv2.RunStreamRequestSchema, message)),
      (bytes: Buffer) => bytes,
      request,
    );
    call.on("data", () => {});
    const ended = new Promise<ServiceError>((resolve) => call.on("error", resolve));
    await waitFor(() => events.started.includes("runStream"), "the stream starts");
    await server.shutdown();
    await waitFor(() => events.aborted.includes("runStream"), "the stream handler sees its signal abort");
    expect((await ended).code).not.toBe(status.OK);
  });

  it("keeps the StreamStdio stream open until shutdown", async () => {
    const { server, client } = await start();
    let ended = false;
    const stdio = (async () => {
      for await (const _ of createClient(goplugin.GRPCStdio, client.transport).streamStdio({})) {
        // Nothing is forwarded.
      }
      ended = true;
    })();
    // Prove the stream is open while the server serves other calls.
    expect((await client.diagnostics.checkHealth({})).message).toBe("fixture ok");
    expect(ended).toBe(false);
    await server.shutdown();
    await stdio;
    expect(ended).toBe(true);
  });

  it("serves a plugin without handlers: every pluginv2 call is UNIMPLEMENTED", async () => {
    const server = await createGrpcServer(definePlugin({}), {
      listen: { network: "unix", path: await createUnixSocketPath() },
      logger: silent,
    });
    cleanups.push(() => server.shutdown());
    const { error } = await rawCall(
      server.address,
      "/pluginv2.Diagnostics/CheckHealth",
      Buffer.from(toBinary(pluginv2.CheckHealthRequestSchema, create(pluginv2.CheckHealthRequestSchema))),
    );
    expect(error?.code).toBe(status.UNIMPLEMENTED);
    const { error: unknownMethod } = await rawCall(server.address, "/pluginv2.Nope/Nothing", Buffer.alloc(0));
    expect(unknownMethod?.code).toBe(status.UNIMPLEMENTED);
  });

  it("carries the error details as google.rpc.Status in grpc-status-details-bin", async () => {
    const { server } = await start();
    const request = create(pluginv2.SubscribeStreamRequestSchema, { path: "throw-async" });
    const { error } = await rawCall(
      server.address,
      "/pluginv2.Stream/SubscribeStream",
      Buffer.from(toBinary(pluginv2.SubscribeStreamRequestSchema, request)),
    );
    expect(error?.code).toBe(status.UNKNOWN);
    const [bin] = error?.metadata.get("grpc-status-details-bin") ?? [];
    const decoded = fromBinary(googleRpc.StatusSchema, bin as Buffer);
    expect(decoded.code).toBe(status.UNKNOWN);
    expect(decoded.details[0]?.typeUrl).toBe("type.googleapis.com/google.rpc.ErrorInfo");
    const info = fromBinary(googleRpc.ErrorInfoSchema, decoded.details[0]?.value ?? new Uint8Array());
    expect(info.metadata.errorSource).toBe("downstream");
  });
});
