import {
  Field as ArrowField,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  Utf8View,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { frameFromArrow } from "./arrow-decode.js";
import { frameToArrow } from "./arrow-encode.js";
import { createFrame } from "./frame.js";
import { FrameDecodeError } from "./frame-decode-error.js";
import { frameFromJSON } from "./frame-json-decode.js";
import { framesEqual } from "./frames-equal.js";
import { goldenNote, hasGolden, readGolden, readGoldenText } from "./testing/golden.js";
import { createRandomFrame } from "./testing/random-frame.js";

function arrowFile(
  fields: ArrowField[],
  children: ReturnType<typeof makeData>[],
  length: number,
): Uint8Array {
  const schema = new Schema(
    fields,
    new Map([
      ["name", "n"],
      ["refId", "A"],
    ]),
  );
  const batch = new RecordBatch(
    schema,
    makeData({ type: new Struct(fields), length, nullCount: 0, children }),
  );
  return tableToIPC(new Table(schema, [batch]), "file");
}

function expectDecodeError(bytes: Uint8Array, message?: RegExp): void {
  let caught: unknown;
  try {
    frameFromArrow(bytes);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FrameDecodeError);
  if (message !== undefined) expect((caught as Error).message).toMatch(message);
}

describe("frameFromArrow", () => {
  it.skipIf(!hasGolden)(
    `decodes the Go golden file all_types.golden.arrow with exact values${goldenNote}`,
    () => {
      const frame = frameFromArrow(readGolden("all_types.golden.arrow"));
      expect(frame.name).toBe("many_types");
      expect(frame.refId).toBe("A");
      expect(frame.meta).toEqual({
        typeVersion: [0, 0],
        custom: { Hi: "there" },
        stats: [{ displayName: "sample", value: 1.234 }],
        channel: "sample/channel/name",
        executedQueryString: "SELECT * FROM table",
      });
      expect(frame.fields).toHaveLength(35);
      expect(frame.rowCount).toBe(5);
      const byIndex = (i: number) => frame.fields[i]!;
      expect(byIndex(0).toArray()).toEqual([
        "Go Min",
        "JS Min (for >= 64)",
        "0 / nil / misc",
        "JS Max (for >= 64)",
        "Go Max",
      ]);
      expect(byIndex(0).labels).toEqual({ aLabelKey: "aLabelValue" });
      expect(byIndex(0).config).toEqual({});
      expect(byIndex(1).nullable).toBe(true);
      expect(byIndex(1).toArray()).toEqual([
        "Grafana",
        "❤️",
        null,
        "🦥",
        "update your unicode/font if no sloth, is 2019.",
      ]);
      expect(byIndex(1).config?.noValue).toBe("😤");
      expect(frame.field("int64_values")!.toArray()).toEqual([
        -9223372036854775808n,
        -9007199254740991n,
        1n,
        9007199254740991n,
        9223372036854775807n,
      ]);
      expect(frame.field("nullable_uint64_values")!.toArray()).toEqual([
        0n,
        0n,
        null,
        9007199254740991n,
        18446744073709551615n,
      ]);
      expect(frame.field("float32_values_nans")!.toArray()).toEqual([Number.NaN, Infinity, 1, -Infinity, 0]);
      expect(frame.field("timestamps")!.type).toBe("time");
      expect(frame.field("timestamps")!.toArray()).toEqual([
        0n,
        1568039445000000000n,
        1568039450000000000n,
        9007199254740991n,
        9223372036854775807n,
      ]);
      expect(frame.field("nullable_timestamps")!.at(2)).toBeNull();
      expect(frame.field("json")!.toArray()).toEqual([
        { a: 1 },
        [1, 2, 3],
        { b: 2 },
        [{ c: 3 }, { d: 4 }],
        { e: { f: 5 } },
      ]);
      expect(frame.field("enum")!.type).toBe("enum");
      expect(frame.field("enum")!.config?.type?.enum?.text).toEqual(["", "ONE", "TWO", "THREE"]);
      expect(frame.field("nullable_enum")!.toArray()).toEqual([1, 2, null, 3, 0]);
      expect(frame.fields.filter((f) => f.name === "timestamps")).toHaveLength(2);
    },
  );

  it.skipIf(!hasGolden)(
    `decodes the golden Arrow file to the same frame as its JSON twin${goldenNote}`,
    () => {
      const fromArrow = frameFromArrow(readGolden("all_types.golden.arrow"));
      const fromJSON = frameFromJSON(readGoldenText("all_types.golden.json"));
      expect(framesEqual(fromArrow, fromJSON)).toEqual({ equal: true });
    },
  );

  it.skipIf(!hasGolden)(`re-encodes the golden frame and decodes it to an equal frame${goldenNote}`, () => {
    const golden = frameFromArrow(readGolden("all_types.golden.arrow"));
    const again = frameFromArrow(frameToArrow(golden));
    expect(framesEqual(golden, again)).toEqual({ equal: true });
  });

  it.skipIf(!hasGolden)(
    `decodes the base64 Arrow frames of frame-custom-meta.golden.txt${goldenNote}`,
    () => {
      const lines = readGoldenText("frame-custom-meta.golden.txt")
        .split("\n")
        .filter((line) => line.startsWith("FRAME="));
      expect(lines).toHaveLength(2);
      const [one, two] = lines.map((line) =>
        frameFromArrow(new Uint8Array(Buffer.from(line.slice(6), "base64"))),
      );
      expect(one!.name).toBe("Frame One");
      expect(one!.refId).toBeUndefined();
      expect(one!.meta).toEqual({ custom: { someValue: "value" } });
      expect(one!.fields[0]!.config).toEqual({ unit: "Percent" });
      expect(one!.fields[0]!.toArray()).toEqual([8.26, 8.7, 14.82, 10.07, 8.52]);
      expect(two!.fields[0]!.labels).toEqual({ a: "b" });
      expect(two!.fields[0]!.toArray()).toEqual(["a", "b", "c"]);
    },
  );

  it("round-trips 300 random frames of every type (nulls, NaN, ±Inf, emoji, extreme integers, ns times)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const frame = createRandomFrame(seed, { coverAllTypes: seed % 3 === 0 });
      const result = framesEqual(frame, frameFromArrow(frameToArrow(frame)));
      expect(result, `seed ${seed}`).toEqual({ equal: true });
    }
  });

  it("rejects garbage with FrameDecodeError", () => {
    expectDecodeError(new TextEncoder().encode("definitely not arrow"), /missing leading ARROW1/);
    expectDecodeError(new Uint8Array(0));
    expectDecodeError(new Uint8Array(1000).fill(0x41));
  });

  it("rejects every truncation of a valid file with FrameDecodeError", () => {
    const bytes = frameToArrow(createRandomFrame(7, { rows: 5, coverAllTypes: true }));
    for (let length = 0; length < bytes.length; length++) expectDecodeError(bytes.subarray(0, length));
  });

  it("rejects truncated files that were given a fake trailing magic with FrameDecodeError", () => {
    const bytes = frameToArrow(createRandomFrame(8, { rows: 4, coverAllTypes: true }));
    const magic = bytes.subarray(bytes.length - 6);
    for (let length = 6; length < bytes.length - 6; length += 7) {
      const forged = new Uint8Array(length + 6);
      forged.set(bytes.subarray(0, length));
      forged.set(magic, length);
      expectDecodeError(forged);
    }
  });

  it("either decodes or throws FrameDecodeError for files with corrupted bytes (never another error)", () => {
    const bytes = frameToArrow(createRandomFrame(9, { rows: 6, coverAllTypes: true }));
    let state = 12345;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    let rejected = 0;
    for (let trial = 0; trial < 400; trial++) {
      const corrupted = bytes.slice();
      for (let k = 0; k < 1 + (trial % 4); k++)
        corrupted[8 + (next() % (corrupted.length - 14))] = next() & 0xff;
      try {
        frameFromArrow(corrupted);
      } catch (error) {
        expect(error).toBeInstanceOf(FrameDecodeError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it("rejects the Arrow stream format with a message naming the file format", () => {
    const field = new ArrowField("s", new Utf8(), false);
    const schema = new Schema([field]);
    const data = makeData({
      type: new Struct([field]),
      length: 1,
      nullCount: 0,
      children: [vectorFromArray(["a"], new Utf8()).data[0]!],
    });
    const stream = tableToIPC(new Table(schema, [new RecordBatch(schema, data)]), "stream");
    expectDecodeError(stream, /stream.*file format/);
  });

  it("rejects dictionary-encoded strings like the Go SDK", () => {
    const dict = vectorFromArray(["a", "b", "a"]);
    const field = new ArrowField("s", dict.type, false);
    expectDecodeError(arrowFile([field], [dict.data[0]!], 3), /field "s": unsupported Arrow type Dictionary/);
  });

  it("reads Utf8View strings", () => {
    const view = vectorFromArray(["short", "a string longer than twelve bytes 🦥", null], new Utf8View());
    const field = new ArrowField("v", new Utf8View(), true, new Map([["tstype", "string"]]));
    const frame = frameFromArrow(arrowFile([field], [view.data[0]!], 3));
    expect(frame.fields[0]!.type).toBe("string");
    expect(frame.fields[0]!.toArray()).toEqual(["short", "a string longer than twelve bytes 🦥", null]);
  });

  it("reads a millisecond Timestamp column as nanoseconds, as the Go SDK does", () => {
    const data = makeData({
      type: new TimestampMillisecond(),
      length: 2,
      nullCount: 0,
      data: new BigInt64Array([1n, 1700000000000n]),
    });
    const frame = frameFromArrow(
      arrowFile([new ArrowField("t", new TimestampMillisecond(), false)], [data], 2),
    );
    expect(frame.fields[0]!.toArray()).toEqual([1n, 1700000000000n]);
  });

  it("appends all record batches", () => {
    const time = new ArrowField("t", new TimestampMillisecond(), false, new Map([["tstype", "time"]]));
    const text = new ArrowField("s", new Utf8(), true, new Map([["tstype", "string"]]));
    const schema = new Schema(
      [time, text],
      new Map([
        ["name", "batches"],
        ["refId", "B"],
      ]),
    );
    const batch = (times: bigint[], strings: Array<string | null>) =>
      new RecordBatch(
        schema,
        makeData({
          type: new Struct([time, text]),
          length: times.length,
          nullCount: 0,
          children: [
            makeData({
              type: new TimestampMillisecond(),
              length: times.length,
              nullCount: 0,
              data: new BigInt64Array(times),
            }),
            vectorFromArray(strings, new Utf8()).data[0]!,
          ],
        }),
      );
    const bytes = tableToIPC(new Table(schema, [batch([1n, 2n], ["a", null]), batch([3n], ["🦥"])]), "file");
    const frame = frameFromArrow(bytes);
    expect(frame.name).toBe("batches");
    expect(frame.refId).toBe("B");
    expect(frame.fields[0]!.toArray()).toEqual([1n, 2n, 3n]);
    expect(frame.fields[1]!.toArray()).toEqual(["a", null, "🦥"]);
  });

  it("decodes a frame without fields", () => {
    const frame = frameFromArrow(frameToArrow(createFrame({ name: "empty" })));
    expect(frame.name).toBe("empty");
    expect(frame.fields).toEqual([]);
    expect(frame.rowCount).toBe(0);
  });

  it("rejects invalid JSON in the schema metadata", () => {
    const schema = new Schema(
      [],
      new Map([
        ["name", ""],
        ["refId", ""],
        ["meta", "{not json"],
      ]),
    );
    const bytes = tableToIPC(
      new Table(schema, [
        new RecordBatch(schema, makeData({ type: new Struct([]), length: 0, nullCount: 0, children: [] })),
      ]),
      "file",
    );
    expectDecodeError(bytes, /invalid JSON in schema metadata 'meta'/);
  });
});
