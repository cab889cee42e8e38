import { describe, expect, it } from "vitest";
import { frameFromArrow } from "./arrow-decode.js";
import { createField } from "./create-field.js";
import { boolField, enumField, jsonField, numberField, stringField, timeField } from "./field-builders.js";
import { FieldError } from "./field-error.js";
import { createFrame } from "./frame.js";
import { formatFloat32, frameToJSON, frameToJSONString } from "./frame-json-encode.js";
import { parseJSONExact } from "./json-text.js";
import { goldenNote, hasGolden, readGolden, readGoldenText } from "./testing/golden.js";

describe("frameToJSONString", () => {
  it("writes schema and column-major data in the Go SDK's layout", () => {
    const frame = createFrame({
      name: "cpu",
      refId: "A",
      meta: { type: "timeseries-wide", typeVersion: [0, 1] },
      fields: [
        timeField("time", [1700000000000123456n, 1700000001000000000n]),
        numberField("value", [1.5, Number.NaN], { labels: { host: "a" }, config: { unit: "percent" } }),
        createField("count", "int64", [9007199254740993n, null]),
        stringField("note", ['say "hi" 🦥', ""]),
        boolField("ok", [true, false]),
        enumField("state", ["OK", "FAIL"], { text: ["OK", "FAIL"] }),
        jsonField("doc", [{ a: [1] }, null], { nullable: false }),
      ],
    });
    expect(frameToJSONString(frame)).toBe(
      '{"schema":{"name":"cpu","refId":"A","meta":{"type":"timeseries-wide","typeVersion":[0,1]},"fields":[' +
        '{"name":"time","type":"time","typeInfo":{"frame":"time.Time"}},' +
        '{"name":"value","type":"number","typeInfo":{"frame":"float64"},"labels":{"host":"a"},"config":{"unit":"percent"}},' +
        '{"name":"count","type":"number","typeInfo":{"frame":"int64","nullable":true}},' +
        '{"name":"note","type":"string","typeInfo":{"frame":"string"}},' +
        '{"name":"ok","type":"boolean","typeInfo":{"frame":"bool"}},' +
        '{"name":"state","type":"enum","typeInfo":{"frame":"enum"},"config":{"type":{"enum":{"text":["OK","FAIL"]}}}},' +
        '{"name":"doc","type":"other","typeInfo":{"frame":"json.RawMessage"}}]},' +
        '"data":{"values":[[1700000000000,1700000001000],[1.5,null],[9007199254740993,null],["say \\"hi\\" 🦥",""],[true,false],[0,1],[{"a":[1]},null]],' +
        '"entities":[null,{"NaN":[1]},null,null,null,null,null],' +
        '"nanos":[[123456,0],null,null,null,null,null,null]}}',
    );
  });

  it("omits entities and nanos when no value needs them, and empty name/refId", () => {
    const frame = createFrame({ fields: [timeField("t", [new Date(0)]), numberField("v", [2])] });
    expect(frameToJSONString(frame)).toBe(
      '{"schema":{"fields":[{"name":"t","type":"time","typeInfo":{"frame":"time.Time"}},' +
        '{"name":"v","type":"number","typeInfo":{"frame":"float64"}}]},"data":{"values":[[0],[2]]}}',
    );
  });

  it("lists NaN, Inf and NegInf per field and writes them as null", () => {
    const frame = createFrame({
      fields: [
        createField("f", "float32", [Number.NaN, Infinity, -Infinity, 1, Number.NaN]),
        createField("g", "float64", [null, -Infinity, 0, 0, 0]),
      ],
    });
    const json = parseJSONExact(frameToJSONString(frame, { include: "data" })) as { data: unknown };
    expect(json.data).toEqual({
      values: [
        [null, null, null, 1, null],
        [null, null, 0, 0, 0],
      ],
      entities: [{ NaN: [0, 4], Inf: [1], NegInf: [2] }, { NegInf: [1] }],
    });
  });

  it("writes times as epoch ms with floored sub-millisecond remainders in nanos, also before 1970", () => {
    const frame = createFrame({
      fields: [createField("t", "time", [-1n, 1n, null, -(2n ** 63n), 2n ** 63n - 1n])],
    });
    const json = parseJSONExact(frameToJSONString(frame, { include: "data" })) as { data: unknown };
    expect(json.data).toEqual({
      values: [[-1, 0, null, -9223372036855, 9223372036854]],
      nanos: [[999999, 1, 0, 224192, 775807]],
    });
  });

  it("writes int64 and uint64 as exact JSON numbers", () => {
    const frame = createFrame({
      fields: [
        createField("i", "int64", [-(2n ** 63n), 2n ** 63n - 1n]),
        createField("u", "uint64", [0n, 2n ** 64n - 1n]),
      ],
    });
    expect(frameToJSONString(frame, { include: "data" })).toBe(
      '{"data":{"values":[[-9223372036854775808,9223372036854775807],[0,18446744073709551615]]}}',
    );
  });

  it("writes float32 values with the shortest digits that read back as the same float32", () => {
    expect(formatFloat32(Math.fround(0.1))).toBe("0.1");
    expect(formatFloat32(Math.fround(3.4028235e38))).toBe("3.4028235e+38");
    expect(formatFloat32(Math.fround(1e-45))).toBe("1e-45");
    expect(formatFloat32(Math.fround(16777217))).toBe("16777216");
    const frame = createFrame({ fields: [createField("f", "float32", [0.1, 1.5])] });
    expect(frameToJSONString(frame, { include: "data" })).toBe('{"data":{"values":[[0.1,1.5]]}}');
  });

  it("writes only the data or only the schema on request", () => {
    const frame = createFrame({ name: "n", fields: [numberField("v", [1])] });
    expect(frameToJSONString(frame, { include: "data" })).toBe('{"data":{"values":[[1]]}}');
    expect(frameToJSONString(frame, { include: "schema" })).toBe(
      '{"schema":{"name":"n","fields":[{"name":"v","type":"number","typeInfo":{"frame":"float64"}}]}}',
    );
    expect(() => frameToJSONString(frame, { include: "both" as "all" })).toThrow(/unknown include/);
  });

  it("uses options.refId only when the frame's refId is empty", () => {
    const frame = createFrame({ fields: [] });
    expect(frameToJSONString(frame, { refId: "B" })).toBe(
      '{"schema":{"refId":"B","fields":[]},"data":{"values":[]}}',
    );
    frame.refId = "A";
    expect(frameToJSONString(frame, { refId: "B" })).toContain('"refId":"A"');
  });

  it("throws a FieldError naming the field when field lengths differ", () => {
    const frame = createFrame({ fields: [numberField("a", [1])] });
    frame.fields.push(numberField("b", [1, 2]));
    expect(() => frameToJSONString(frame)).toThrow(FieldError);
    expect(() => frameToJSONString(frame)).toThrow(/field "b"/);
  });

  it.skipIf(!hasGolden)(
    `encodes the golden frame to the golden JSON twin (semantically)${goldenNote}`,
    () => {
      const frame = frameFromArrow(readGolden("all_types.golden.arrow"));
      const ours = parseJSONExact(frameToJSONString(frame));
      const golden = parseJSONExact(readGoldenText("all_types.golden.json"));
      expect(ours).toEqual(golden);
    },
  );
});

describe("frameToJSON", () => {
  it("returns the UTF-8 bytes of the frame JSON string", () => {
    const frame = createFrame({ fields: [stringField("s", ["🦥"])] });
    expect(new TextDecoder().decode(frameToJSON(frame))).toBe(frameToJSONString(frame));
    expect(frameToJSON(frame)).toBeInstanceOf(Uint8Array);
  });
});
