import { describe, expect, it } from "vitest";
import { frameFromArrow } from "./arrow-decode.js";
import { createField } from "./create-field.js";
import { numberField, stringField, timeField } from "./field-builders.js";
import { createFrame } from "./frame.js";
import { FrameDecodeError } from "./frame-decode-error.js";
import { frameFromJSON } from "./frame-json-decode.js";
import { frameToJSON, frameToJSONString } from "./frame-json-encode.js";
import { framesEqual } from "./frames-equal.js";
import { goldenNote, hasGolden, readGolden, readGoldenText } from "./testing/golden.js";
import { createRandomFrame } from "./testing/random-frame.js";

function decodeError(input: string | Uint8Array): FrameDecodeError {
  try {
    frameFromJSON(input);
  } catch (error) {
    expect(error).toBeInstanceOf(FrameDecodeError);
    return error as FrameDecodeError;
  }
  throw new Error("expected frameFromJSON to throw");
}

describe("frameFromJSON", () => {
  it.skipIf(!hasGolden)(
    `decodes the golden JSON twin with exact int64/uint64 and ns times${goldenNote}`,
    () => {
      const frame = frameFromJSON(readGoldenText("all_types.golden.json"));
      expect(frame.name).toBe("many_types");
      expect(frame.refId).toBe("A");
      expect(frame.fields).toHaveLength(35);
      expect(frame.field("int64_values")!.toArray()).toEqual([
        -9223372036854775808n,
        -9007199254740991n,
        1n,
        9007199254740991n,
        9223372036854775807n,
      ]);
      expect(frame.field("uint64_values")!.at(4)).toBe(18446744073709551615n);
      expect(frame.field("timestamps")!.at(4)).toBe(9223372036854775807n);
      expect(frame.field("nullable_float64_values_nans")!.toArray()).toEqual([
        -Infinity,
        0,
        null,
        Number.NaN,
        Infinity,
      ]);
      expect(frame.field("float32_values")!.at(3)).toBe(Math.fround(3.4028235e38));
    },
  );

  it.skipIf(!hasGolden)(`decodes golden JSON bytes equal to the golden Arrow file${goldenNote}`, () => {
    const fromJSON = frameFromJSON(readGolden("all_types.golden.json"));
    expect(framesEqual(frameFromArrow(readGolden("all_types.golden.arrow")), fromJSON)).toEqual({
      equal: true,
    });
  });

  it("round-trips 300 random frames of every type (nulls, NaN, ±Inf, emoji, extreme integers, ns times)", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const frame = createRandomFrame(seed, { coverAllTypes: seed % 3 === 0 });
      expect(framesEqual(frame, frameFromJSON(frameToJSON(frame))), `seed ${seed}`).toEqual({ equal: true });
    }
  });

  it("decodes schema-only JSON to empty fields and data-only JSON against a known schema", () => {
    const frame = createFrame({
      name: "chunked",
      refId: "A",
      fields: [timeField("t", [1n, 2000001n]), createField("v", "float64", [null, Number.NaN])],
    });
    const schemaOnly = frameFromJSON(frameToJSONString(frame, { include: "schema" }));
    expect(schemaOnly.rowCount).toBe(0);
    expect(schemaOnly.fields.map((f) => [f.name, f.type, f.nullable])).toEqual([
      ["t", "time", false],
      ["v", "float64", true],
    ]);
    const dataOnly = frameFromJSON(frameToJSONString(frame, { include: "data" }), { schema: schemaOnly });
    expect(framesEqual(frame, dataOnly)).toEqual({ equal: true });
  });

  it("requires a schema for data-only JSON", () => {
    expect(decodeError('{"data":{"values":[[1]]}}').message).toMatch(/no schema/);
  });

  it("reads nulls in non-nullable fields as zero values, like the Go SDK", () => {
    const frame = frameFromJSON(
      '{"schema":{"fields":[{"name":"a","typeInfo":{"frame":"int32"}},{"name":"s","typeInfo":{"frame":"string"}}]},' +
        '"data":{"values":[[1,null],[null,"x"]]}}',
    );
    expect(frame.fields[0]!.toArray()).toEqual([1, 0]);
    expect(frame.fields[1]!.toArray()).toEqual(["", "x"]);
  });

  it("accepts Go type-name aliases and frontend JSON that has only the simple type", () => {
    const frame = frameFromJSON(
      '{"schema":{"fields":[{"name":"a","typeInfo":{"frame":"*int64"}}, {"name":"b","typeInfo":{"frame":"int"}},' +
        '{"name":"c","type":"number"},{"name":"d","type":"time"}]},"data":{"values":[[1],[2],[null],[5]]}}',
    );
    expect(frame.fields.map((f) => [f.type, f.nullable])).toEqual([
      ["int64", true],
      ["int64", false],
      ["float64", true],
      ["time", true],
    ]);
    expect(frame.fields[3]!.at(0)).toBe(5_000_000n);
  });

  it("rejects malformed frame JSON with FrameDecodeError", () => {
    expect(decodeError("{").message).toMatch(/invalid frame JSON/);
    expect(decodeError("[]").message).toMatch(/must be a JSON object/);
    expect(decodeError(new Uint8Array([0x7b, 0xff, 0x7d])).message).toMatch(/UTF-8/);
    expect(decodeError('{"schema":{"fields":[]},"extra":1}').message).toMatch(/unexpected key "extra"/);
    expect(decodeError('{"schema":{"fields":[{"name":"x","typeInfo":{"frame":"int128"}}]}}').message).toMatch(
      /field "x" \(index 0\): unknown field type "int128"/,
    );
    expect(decodeError('{"schema":{"fields":[{"name":"x"}]}}').message).toMatch(/missing typeInfo/);
  });

  it("rejects data that does not fit the schema, naming the field", () => {
    const schema =
      '{"schema":{"fields":[{"name":"a","typeInfo":{"frame":"int8"}},{"name":"b","typeInfo":{"frame":"bool"}}]}';
    expect(decodeError(`${schema},"data":{"values":[[1]]}}`).message).toMatch(
      /1 columns but the schema has 2/,
    );
    expect(decodeError(`${schema},"data":{"values":[[1],[true,false]]}}`).message).toMatch(
      /field "b" \(index 1\): has 2 values but the first field has 1/,
    );
    expect(decodeError(`${schema},"data":{"values":[[300],[true]]}}`).message).toMatch(
      /field "a" \(index 0\) row 0: expected an int8/,
    );
    expect(decodeError(`${schema},"data":{"values":[[1],["yes"]]}}`).message).toMatch(
      /field "b" \(index 1\) row 0: expected a boolean/,
    );
    expect(decodeError(`${schema},"data":{"values":[[1],[true]],"entities":[{"NaN":[0]}]}}`).message).toMatch(
      /entities given for a int8 field/,
    );
    expect(
      decodeError(
        '{"schema":{"fields":[{"name":"f","typeInfo":{"frame":"float64"}}]},"data":{"values":[[1]],"entities":[{"Inf":[3]}]}}',
      ).message,
    ).toMatch(/index 3 is out of range/);
  });

  it("reads int64 beyond 2^53 exactly from text, also when given as a string", () => {
    const frame = frameFromJSON(
      '{"schema":{"fields":[{"name":"i","typeInfo":{"frame":"int64"}},{"name":"u","typeInfo":{"frame":"uint64","nullable":true}}]},' +
        '"data":{"values":[[9007199254740993,"-9223372036854775808"],[18446744073709551615,null]]}}',
    );
    expect(frame.fields[0]!.toArray()).toEqual([9007199254740993n, -9223372036854775808n]);
    expect(frame.fields[1]!.toArray()).toEqual([18446744073709551615n, null]);
  });

  it("accepts an already parsed object", () => {
    const frame = createFrame({ name: "p", fields: [stringField("s", ["a"]), numberField("n", [1])] });
    const parsed: unknown = JSON.parse(frameToJSONString(frame));
    expect(framesEqual(frame, frameFromJSON(parsed as object))).toEqual({ equal: true });
  });

  it("either decodes or throws FrameDecodeError for corrupted frame JSON (never another error)", () => {
    const text = frameToJSONString(createRandomFrame(21, { rows: 5, coverAllTypes: true }));
    const alphabet = '{}[]",:0123456789-.eE tfnul\\"';
    let state = 99;
    const next = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state;
    };
    let rejected = 0;
    for (let trial = 0; trial < 500; trial++) {
      const chars = [...text];
      for (let k = 0; k < 1 + (trial % 3); k++)
        chars[next() % chars.length] = alphabet[next() % alphabet.length]!;
      try {
        frameFromJSON(chars.join(""));
      } catch (error) {
        expect(error).toBeInstanceOf(FrameDecodeError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
