import { describe, expect, it } from "vitest";
import { createField } from "./create-field.js";
import { jsonField, numberField, stringField, timeField } from "./field-builders.js";
import { createFrame } from "./frame.js";
import { framesEqual } from "./frames-equal.js";
import { createRandomFrame } from "./testing/random-frame.js";

describe("framesEqual", () => {
  it("treats NaN as equal to NaN and an unset refId as empty", () => {
    const a = createFrame({ refId: "", fields: [numberField("v", [Number.NaN, 1])] });
    const b = createFrame({ fields: [numberField("v", [Number.NaN, 1])] });
    expect(framesEqual(a, b)).toEqual({ equal: true });
  });

  it("reports the first differing value with field and row", () => {
    const a = createFrame({ fields: [timeField("t", [1n, 2n])] });
    const b = createFrame({ fields: [timeField("t", [1n, 3n])] });
    expect(framesEqual(a, b)).toEqual({ equal: false, difference: 'field[0] "t": row 1: 2n != 3n' });
  });

  it("distinguishes null from a value and ignores placeholders under nulls", () => {
    const a = createField("v", "int32", new Int32Array([1, 7]), { validity: new Uint8Array([1, 0]) });
    const b = createField("v", "int32", new Int32Array([1, 9]), { validity: new Uint8Array([1, 0]) });
    expect(framesEqual(createFrame({ fields: [a] }), createFrame({ fields: [b] })).equal).toBe(true);
    const c = createField("v", "int32", [1, 0], { nullable: true });
    expect(framesEqual(createFrame({ fields: [a] }), createFrame({ fields: [c] })).difference).toBe(
      'field[0] "v": row 1: null != 0',
    );
  });

  it("compares names, types, nullability, labels and config", () => {
    const base = () => stringField("s", ["a"], { labels: { a: "1" }, config: { unit: "ms" } });
    const frame = createFrame({ fields: [base()] });
    expect(framesEqual(frame, createFrame({ fields: [stringField("x", ["a"])] })).difference).toMatch(
      /name "s" != "x"/,
    );
    expect(framesEqual(frame, createFrame({ fields: [createField("s", "json", ["a"])] })).difference).toMatch(
      /type string != json/,
    );
    expect(
      framesEqual(
        frame,
        createFrame({ fields: [stringField("s", ["a"], { nullable: true, labels: { a: "1" } })] }),
      ).difference,
    ).toMatch(/nullable false != true/);
    expect(
      framesEqual(
        frame,
        createFrame({ fields: [stringField("s", ["a"], { labels: { a: "2" }, config: { unit: "ms" } })] }),
      ).difference,
    ).toBe('field[0] "s": labels.a: "1" != "2"');
    expect(
      framesEqual(
        frame,
        createFrame({ fields: [stringField("s", ["a"], { labels: { a: "1" }, config: { unit: "s" } })] }),
      ).difference,
    ).toBe('field[0] "s": config.unit: "ms" != "s"');
  });

  it("compares meta and config as the Go SDK serialises them", () => {
    const a = createFrame({
      meta: { custom: { x: 1 } },
      fields: [numberField("v", [1], { config: { min: Number.NaN } })],
    });
    const b = createFrame({
      meta: { typeVersion: [0, 0], custom: { x: 1 } },
      fields: [numberField("v", [1], { config: { min: null } })],
    });
    expect(framesEqual(a, b)).toEqual({ equal: true });
    const c = createFrame({
      meta: { typeVersion: [0, 1], custom: { x: 1 } },
      fields: [numberField("v", [1])],
    });
    expect(framesEqual(a, c).difference).toBe("meta.typeVersion[1]: 0 != 1");
  });

  it("compares JSON values structurally, ignoring key order, with exact big integers", () => {
    const a = createFrame({ fields: [jsonField("j", [{ a: 1, b: [2n ** 64n] }])] });
    const b = createFrame({ fields: [jsonField("j", [{ b: [2n ** 64n], a: 1 }])] });
    expect(framesEqual(a, b)).toEqual({ equal: true });
    const c = createFrame({ fields: [jsonField("j", [{ b: [2n ** 64n + 1n], a: 1 }])] });
    expect(framesEqual(a, c).difference).toBe(
      'field[0] "j": row 0.b[0]: 18446744073709551616n != 18446744073709551617n',
    );
  });

  it("finds a single changed value anywhere in a random frame", () => {
    const a = createRandomFrame(42, { rows: 6, coverAllTypes: true, nullRatio: 0 });
    const b = createRandomFrame(42, { rows: 6, coverAllTypes: true, nullRatio: 0 });
    expect(framesEqual(a, b)).toEqual({ equal: true });
    const strings = b.fields.find((f) => f.type === "string")!;
    (strings.values as string[])[5] = `${(strings.values as string[])[5]}!`;
    expect(framesEqual(a, b).equal).toBe(false);
    expect(framesEqual(a, b).difference).toMatch(/row 5/);
  });
});
