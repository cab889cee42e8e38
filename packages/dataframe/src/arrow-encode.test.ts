import {
  type Field as ArrowField,
  RecordBatchFileReader,
  RecordBatchReader,
  type Timestamp,
  Type,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { frameFromArrow } from "./arrow-decode.js";
import { frameToArrow, maxRecordBatchBodyBytes } from "./arrow-encode.js";
import { createField } from "./create-field.js";
import { enumField, jsonField, numberField, stringField, timeField } from "./field-builders.js";
import { FieldError } from "./field-error.js";
import { FIELD_TYPES } from "./field-type.js";
import { createFrame, Frame } from "./frame.js";
import { framesEqual } from "./frames-equal.js";
import { createRandomFrame } from "./testing/random-frame.js";

const ARROW1 = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

function readSchema(bytes: Uint8Array) {
  const reader = RecordBatchReader.from(bytes);
  reader.open();
  return { schema: reader.schema, batches: reader.readAll(), isFile: reader.isFile() };
}

function metadataOf(field: ArrowField): Record<string, string> {
  return Object.fromEntries(field.metadata);
}

describe("frameToArrow", () => {
  it("writes one Arrow IPC file that starts and ends with ARROW1", () => {
    const bytes = frameToArrow(createRandomFrame(3, { coverAllTypes: true }));
    expect([...bytes.subarray(0, 6)]).toEqual(ARROW1);
    expect([...bytes.subarray(bytes.length - 6)]).toEqual(ARROW1);
    expect(readSchema(bytes).isFile).toBe(true);
  });

  it("maps every field type to the Arrow type the Go SDK writes, never a dictionary", () => {
    const frame = createRandomFrame(11, { rows: 3, coverAllTypes: true, fields: 0 });
    const { schema } = readSchema(frameToArrow(frame));
    const expected: Record<string, [Type, string]> = {
      int8: [Type.Int, "Int8"],
      int16: [Type.Int, "Int16"],
      int32: [Type.Int, "Int32"],
      int64: [Type.Int, "Int64"],
      uint8: [Type.Int, "Uint8"],
      uint16: [Type.Int, "Uint16"],
      uint32: [Type.Int, "Uint32"],
      uint64: [Type.Int, "Uint64"],
      float32: [Type.Float, "Float32"],
      float64: [Type.Float, "Float64"],
      string: [Type.Utf8, "Utf8"],
      bool: [Type.Bool, "Bool"],
      time: [Type.Timestamp, "Timestamp<NANOSECOND>"],
      json: [Type.Binary, "Binary"],
      enum: [Type.Int, "Uint16"],
    };
    expect(schema.fields).toHaveLength(FIELD_TYPES.length * 2);
    schema.fields.forEach((arrowField, i) => {
      const field = frame.fields[i]!;
      const [typeId, name] = expected[field.type]!;
      expect(arrowField.type.typeId, field.type).toBe(typeId);
      expect(String(arrowField.type), field.type).toBe(name);
      expect(arrowField.type.typeId).not.toBe(Type.Dictionary);
      expect(arrowField.nullable, field.type).toBe(field.nullable);
    });
  });

  it("writes times as Timestamp with unit NANOSECOND and no timezone, keeping nanoseconds", () => {
    const ns = [1568039445123456789n, -1n, 9223372036854775807n];
    const { schema, batches } = readSchema(frameToArrow(createFrame({ fields: [timeField("t", ns)] })));
    const type = schema.fields[0]!.type as Timestamp;
    expect(type.unit).toBe(3); // TimeUnit.NANOSECOND
    expect(type.timezone).toBeNull();
    expect([...(batches[0]!.data.children[0]!.values as BigInt64Array)]).toEqual(ns);
  });

  it("writes schema metadata name and refId always, and meta only when present", () => {
    const plain = readSchema(frameToArrow(createFrame({ name: "n" }))).schema;
    expect(Object.fromEntries(plain.metadata)).toEqual({ name: "n", refId: "" });

    const withMeta = readSchema(
      frameToArrow(
        createFrame({ name: "n", refId: "A", meta: { executedQueryString: "SELECT 1", custom: { a: 1 } } }),
      ),
    ).schema;
    expect(Object.fromEntries(withMeta.metadata)).toEqual({
      name: "n",
      refId: "A",
      meta: '{"typeVersion":[0,0],"custom":{"a":1},"executedQueryString":"SELECT 1"}',
    });
  });

  it("uses options.refId only when the frame's refId is empty", () => {
    const frame = createFrame({ name: "n" });
    expect(readSchema(frameToArrow(frame, { refId: "B" })).schema.metadata.get("refId")).toBe("B");
    frame.refId = "A";
    expect(readSchema(frameToArrow(frame, { refId: "B" })).schema.metadata.get("refId")).toBe("A");
  });

  it("writes field metadata tstype always and labels/config only when present", () => {
    const frame = createFrame({
      fields: [
        numberField("plain", [1]),
        stringField("dressed", ["x"], {
          labels: { b: "2", a: "1" },
          config: { unit: "ms", min: Number.NaN },
        }),
        enumField("state", [1], { text: ["OK", "FAIL"] }),
        jsonField("doc", [{ k: [1, 2] }]),
        timeField("time", [0n]),
        createField("flag", "bool", [true]),
      ],
    });
    const fields = readSchema(frameToArrow(frame)).schema.fields;
    expect(fields.map((f) => f.name)).toEqual(["plain", "dressed", "state", "doc", "time", "flag"]);
    expect(metadataOf(fields[0]!)).toEqual({ tstype: "number" });
    expect(metadataOf(fields[1]!)).toEqual({
      tstype: "string",
      labels: '{"a":"1","b":"2"}',
      config: '{"unit":"ms","min":null}',
    });
    expect(metadataOf(fields[2]!)).toEqual({
      tstype: "enum",
      config: '{"type":{"enum":{"text":["OK","FAIL"]}}}',
    });
    expect(metadataOf(fields[3]!)).toEqual({ tstype: "other" });
    expect(metadataOf(fields[4]!)).toEqual({ tstype: "time" });
    expect(metadataOf(fields[5]!)).toEqual({ tstype: "boolean" });
  });

  it("writes JSON values as raw JSON bytes in a Binary column", () => {
    const { batches } = readSchema(
      frameToArrow(createFrame({ fields: [jsonField("j", [{ a: 1 }, [1, 2n ** 64n]])] })),
    );
    const column = batches[0]!.getChildAt(0)!;
    expect(new TextDecoder().decode(column.get(0) as Uint8Array)).toBe('{"a":1}');
    expect(new TextDecoder().decode(column.get(1) as Uint8Array)).toBe("[1,18446744073709551616]");
  });

  it("keeps duplicate field names, which Grafana allows", () => {
    const frame = createFrame({ fields: [numberField("v", [1]), stringField("v", ["a"])] });
    const fields = readSchema(frameToArrow(frame)).schema.fields;
    expect(fields.map((f) => [f.name, String(f.type)])).toEqual([
      ["v", "Float64"],
      ["v", "Utf8"],
    ]);
  });

  it("marks nulls in the validity bitmap and writes extreme integers exactly", () => {
    const frame = createFrame({
      fields: [
        createField("i", "int64", [-(2n ** 63n), null, 2n ** 63n - 1n]),
        createField("u", "uint64", [2n ** 64n - 1n, 0n, null]),
      ],
    });
    const batch = readSchema(frameToArrow(frame)).batches[0]!;
    expect(batch.getChildAt(0)!.toArray()).toEqual(new BigInt64Array([-(2n ** 63n), 0n, 2n ** 63n - 1n]));
    expect(batch.getChildAt(0)!.isValid(1)).toBe(false);
    expect(batch.getChildAt(1)!.get(0)).toBe(2n ** 64n - 1n);
    expect(batch.getChildAt(1)!.nullCount).toBe(1);
  });

  it("throws a FieldError naming the field when field lengths differ", () => {
    const frame = createFrame({ fields: [numberField("a", [1, 2])] });
    frame.fields.push(numberField("b", [1]));
    expect(() => frameToArrow(frame)).toThrow(FieldError);
    expect(() => frameToArrow(frame)).toThrow(/field "b" \(index 1\): has 1 rows but field "a"/);
  });

  it("throws a FieldError naming the field when storage was replaced by the wrong kind", () => {
    const frame = new Frame({ fields: [numberField("a", [1, 2])] });
    (frame.fields[0] as { values: unknown }).values = ["x", "y"];
    expect(() => frameToArrow(frame)).toThrow(/field "a" \(index 0\): values must be stored in Float64Array/);
  });
});

/** The body length of each record batch block in an Arrow file's footer. */
function batchBodyLengths(bytes: Uint8Array): number[] {
  const reader = RecordBatchFileReader.from(bytes);
  reader.open();
  const footer = reader.footer!;
  return Array.from({ length: footer.numRecordBatches }, (_, i) => footer.getRecordBatch(i)!.bodyLength);
}

describe("frameToArrow (record batch size)", () => {
  it("writes one record batch while the body fits in 256 MiB, Go's limit", () => {
    expect(maxRecordBatchBodyBytes).toBe(268_435_456);
    expect(
      batchBodyLengths(frameToArrow(createRandomFrame(5, { rows: 1000, coverAllTypes: true }))),
    ).toHaveLength(1);
  });

  it("splits a larger body into record batches that each fit, and decodes back to the same frame", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const frame = createRandomFrame(seed, { rows: 300, coverAllTypes: seed % 2 === 0 });
      const limit = 2048 + seed * 97;
      const whole = frameFromArrow(frameToArrow(frame));
      const bytes = frameToArrow(frame, { maxRecordBatchBytes: limit });
      const bodies = batchBodyLengths(bytes);
      const oneBody = batchBodyLengths(frameToArrow(frame))[0]!;
      if (oneBody > limit) expect(bodies.length, `seed ${seed}`).toBeGreaterThan(1);
      for (const body of bodies) expect(body, `seed ${seed}`).toBeLessThanOrEqual(limit);
      expect(framesEqual(frameFromArrow(bytes), whole), `seed ${seed}`).toEqual({ equal: true });
    }
  });

  it("splits by bytes, not rows, when string lengths vary", () => {
    const values = Array.from({ length: 200 }, (_, i) => (i < 10 ? "x".repeat(3000) : "y"));
    const frame = createFrame({
      fields: [
        stringField("s", values),
        numberField(
          "n",
          values.map((_, i) => i),
        ),
      ],
    });
    const bytes = frameToArrow(frame, { maxRecordBatchBytes: 8192 });
    const bodies = batchBodyLengths(bytes);
    for (const body of bodies) expect(body).toBeLessThanOrEqual(8192);
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    expect(frameFromArrow(bytes).fields[0]!.values).toEqual(values);
  });

  it("refuses a row larger than one record batch, naming the field and row", () => {
    const frame = createFrame({
      fields: [numberField("n", [1, 2]), stringField("s", ["short", "z".repeat(5000)])],
    });
    expect(() => frameToArrow(frame, { maxRecordBatchBytes: 4096 })).toThrow(FieldError);
    expect(() => frameToArrow(frame, { maxRecordBatchBytes: 4096 })).toThrow(
      /field "s".*row 1 needs \d+ bytes/,
    );
  });
});
