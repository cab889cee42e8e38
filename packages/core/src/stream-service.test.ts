import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { EncodableFrame } from "./encodable-frame.js";
import {
  PublishStreamResponse_Status as PublishStatus,
  SubscribeStreamResponse_Status as SubscribeStatus,
} from "./gen/pluginv2/backend_pb.js";
import { definePlugin } from "./plugin.js";
import { clientFor } from "./testing/service-client.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const frame = (name: string): EncodableFrame => ({
  name,
  encode: (_format, options) => encoder.encode(`${options?.include ?? "all"}:${name}`),
});

describe("createStreamService", () => {
  it("answers an invalid channel path without calling the handlers", async () => {
    const calls: string[] = [];
    const { client } = clientFor(
      definePlugin({
        subscribeStream: () => {
          calls.push("subscribe");
          return { status: SubscribeStatus.OK };
        },
        publishStream: () => {
          calls.push("publish");
          return { status: PublishStatus.OK };
        },
        runStream: async () => {
          calls.push("run");
        },
      }),
    );
    for (const path of ["", "a b", "x".repeat(161), "é"]) {
      expect((await client.stream.subscribeStream({ path })).status).toBe(SubscribeStatus.NOT_FOUND);
      expect((await client.stream.publishStream({ path })).status).toBe(PublishStatus.NOT_FOUND);
      const run = (async () => {
        for await (const _ of client.stream.runStream({ path })) {
          // no packets expected
        }
      })();
      await expect(run).rejects.toMatchObject({ code: Code.InvalidArgument });
    }
    expect(calls).toEqual([]);
    expect((await client.stream.subscribeStream({ path: "ok/path_1-2=3.4" })).status).toBe(
      SubscribeStatus.OK,
    );
  });

  it("counts a call refused for its channel path like any other call", async () => {
    const completed: { endpoint: string; status: string }[] = [];
    const { client } = clientFor(
      definePlugin({
        subscribeStream: () => ({ status: SubscribeStatus.OK }),
        publishStream: () => ({ status: PublishStatus.OK }),
        runStream: async () => {},
      }),
      [],
      { onRequestCompleted: ({ endpoint, status }) => completed.push({ endpoint, status }) },
    );
    await client.stream.subscribeStream({ path: "a b" });
    await client.stream.publishStream({ path: "a b" });
    await expect(
      (async () => {
        for await (const _ of client.stream.runStream({ path: "a b" })) {
          // no packets expected
        }
      })(),
    ).rejects.toMatchObject({ code: Code.InvalidArgument });
    expect(completed).toEqual([
      { endpoint: "subscribeStream", status: "ok" },
      { endpoint: "publishStream", status: "ok" },
      { endpoint: "runStream", status: "error" },
    ]);
  });

  it("sends initialData: a frame as frame JSON with schema and data, or a JSON value", async () => {
    const { client } = clientFor(
      definePlugin({
        subscribeStream: (request) => ({
          status: SubscribeStatus.OK,
          initialData: request.path === "frame" ? frame("f") : { hello: request.path },
        }),
      }),
    );
    expect(decoder.decode((await client.stream.subscribeStream({ path: "frame" })).data)).toBe("all:f");
    expect(decoder.decode((await client.stream.subscribeStream({ path: "json" })).data)).toBe(
      '{"hello":"json"}',
    );
  });

  it("runs a stream whose sender sends a frame's schema once, then data only", async () => {
    const { client } = clientFor(
      definePlugin({
        runStream: async (_request, sender) => {
          await sender.sendFrame(frame("f"));
          await sender.sendFrame(frame("f"));
          await sender.sendJSON({ x: 1 });
        },
      }),
    );
    const packets: string[] = [];
    for await (const p of client.stream.runStream({ path: "live" })) packets.push(decoder.decode(p.data));
    expect(packets[0]).toBe("all:f");
    expect(packets[1]).toBe("data:f");
    expect(packets[2]).toBe('{"x":1}');
    expect(packets).toHaveLength(3);
  });
});
