import { describe, expect, it } from "vitest";
import type { EncodableFrame, FrameEncodeOptions } from "./encodable-frame.js";
import { createStreamSender } from "./stream-sender.js";

const decoder = new TextDecoder();

/** A frame whose JSON is built from a plain schema object and values, like the dataframe package's. */
function frame(schema: Record<string, unknown>, values: unknown[]): EncodableFrame {
  return {
    encode(format: string, options?: FrameEncodeOptions) {
      if (format !== "json") throw new Error("json only");
      const include = options?.include ?? "all";
      const parts: Record<string, unknown> = {};
      if (include !== "data") parts.schema = schema;
      if (include !== "schema") parts.data = { values };
      return new TextEncoder().encode(JSON.stringify(parts));
    },
  };
}

/** A sender whose packets are recorded as parsed JSON. */
function recording() {
  const packets: unknown[] = [];
  const sender = createStreamSender(async (bytes) => {
    packets.push(JSON.parse(decoder.decode(bytes)));
  });
  return { packets, sender };
}

const cpu = {
  name: "cpu",
  fields: [
    { name: "time", type: "time" },
    { name: "value", type: "number" },
  ],
};

describe("createStreamSender", () => {
  it("sends schema and data first, then data only while the schema stays the same", async () => {
    const { packets, sender } = recording();
    await sender.sendFrame(frame(cpu, [[1], [0.5]]));
    await sender.sendFrame(frame({ ...cpu }, [[2], [0.7]]));
    await sender.sendFrame(frame(cpu, [[3], [0.9]]));
    expect(packets).toEqual([
      { schema: cpu, data: { values: [[1], [0.5]] } },
      { data: { values: [[2], [0.7]] } },
      { data: { values: [[3], [0.9]] } },
    ]);
  });

  it("sends the schema again when a field, a label, the config or the meta changes", async () => {
    const { packets, sender } = recording();
    const changed = [
      { ...cpu, fields: [cpu.fields[0], { name: "value", type: "number", labels: { host: "a" } }] },
      { ...cpu, fields: [cpu.fields[0], { name: "value", type: "number", config: { unit: "percent" } }] },
      { ...cpu, meta: { executedQueryString: "x" } },
      { ...cpu, name: "mem" },
    ];
    await sender.sendFrame(frame(cpu, [1]));
    for (const schema of changed) {
      await sender.sendFrame(frame(schema, [2]));
      await sender.sendFrame(frame(schema, [3]));
    }
    expect(packets.map((p) => Object.keys(p as object))).toEqual([
      ["schema", "data"],
      ...changed.flatMap(() => [["schema", "data"], ["data"]]),
    ]);
    // Back to the first schema: the subscribers hold the last one, so it is sent again.
    await sender.sendFrame(frame(cpu, [4]));
    expect(packets.at(-1)).toEqual({ schema: cpu, data: { values: [4] } });
  });

  it("sends the schema again after a JSON or bytes packet", async () => {
    const { packets, sender } = recording();
    await sender.sendFrame(frame(cpu, [1]));
    await sender.sendJSON({ x: 1 });
    await sender.sendFrame(frame(cpu, [2]));
    await sender.sendBytes(new TextEncoder().encode('"raw"'));
    await sender.sendFrame(frame(cpu, [3]));
    expect(packets).toEqual([
      { schema: cpu, data: { values: [1] } },
      { x: 1 },
      { schema: cpu, data: { values: [2] } },
      "raw",
      { schema: cpu, data: { values: [3] } },
    ]);
  });

  it("resolves each send only when push resolves, and pushes in call order", async () => {
    const pending: { bytes: Uint8Array; resolve: () => void }[] = [];
    const sender = createStreamSender(
      (bytes) =>
        new Promise<void>((resolve) => {
          pending.push({ bytes, resolve });
        }),
    );
    let done = false;
    const first = sender.sendFrame(frame(cpu, [1])).then(() => {
      done = true;
    });
    const second = sender.sendFrame(frame(cpu, [2]));
    expect(pending.map((p) => Object.keys(JSON.parse(decoder.decode(p.bytes))))).toEqual([
      ["schema", "data"],
      ["data"],
    ]);
    await Promise.resolve();
    expect(done).toBe(false);
    pending[0]?.resolve();
    await first;
    expect(done).toBe(true);
    pending[1]?.resolve();
    await second;
  });

  it("rejects with push's error and sends the schema with the next frame", async () => {
    const packets: unknown[] = [];
    let fail = true;
    const sender = createStreamSender(async (bytes) => {
      if (fail) throw new Error("stream closed");
      packets.push(JSON.parse(decoder.decode(bytes)));
    });
    await expect(sender.sendFrame(frame(cpu, [1]))).rejects.toThrow("stream closed");
    fail = false;
    await sender.sendFrame(frame(cpu, [2]));
    expect(packets).toEqual([{ schema: cpu, data: { values: [2] } }]);
  });

  it("refuses values that are not JSON with a clear error, without pushing", async () => {
    const { packets, sender } = recording();
    await expect(sender.sendJSON(undefined)).rejects.toThrow("sendJSON: undefined is not a JSON value");
    await expect(sender.sendJSON(() => 1)).rejects.toThrow("sendJSON: function is not a JSON value");
    await expect(sender.sendJSON({ n: 1n })).rejects.toThrow("sendJSON: the value cannot be written as JSON");
    await expect(sender.sendBytes("x" as never)).rejects.toThrow("sendBytes: expected a Uint8Array");
    await expect(sender.sendFrame(new Uint8Array(1) as never)).rejects.toThrow(
      "sendFrame: expected a frame with an encode method (send encoded bytes with sendBytes)",
    );
    expect(packets).toEqual([]);
  });

  it("rejects when the frame cannot be encoded", async () => {
    const { sender } = recording();
    const broken: EncodableFrame = {
      encode() {
        throw new Error("field lengths differ");
      },
    };
    await expect(sender.sendFrame(broken)).rejects.toThrow("field lengths differ");
  });
});
