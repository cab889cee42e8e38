import { describe, expect, it } from "vitest";
import { jsonField, numberField, stringField, timeField } from "./field-builders.js";
import { FieldError } from "./field-error.js";
import { createFrame } from "./frame.js";

describe("Frame.concatRows", () => {
  it("joins the rows of frames of one schema, nulls and labels kept", () => {
    const a = createFrame({
      name: "f",
      refId: "A",
      fields: [
        timeField("time", [new Date(1000)]),
        numberField("v", [1], { labels: { host: "a" } }),
        stringField("s", ["x"]),
        jsonField("j", [{ a: [1] }]),
      ],
    });
    const b = createFrame({
      name: "other",
      fields: [
        timeField("time", [new Date(2000), new Date(3000)]),
        numberField("v", [2, null]),
        stringField("s", ["y", "z"]),
        jsonField("j", [[2], null]),
      ],
    });
    const joined = a.concatRows([b]);
    expect(joined.name).toBe("f");
    expect(joined.refId).toBe("A");
    expect(joined.rowCount).toBe(3);
    expect(joined.fields.map((f) => f.toArray())).toEqual([
      [1_000_000_000n, 2_000_000_000n, 3_000_000_000n],
      [1, 2, null],
      ["x", "y", "z"],
      [{ a: [1] }, [2], null],
    ]);
    expect(joined.fields[1]!.nullable).toBe(true);
    expect(joined.fields[1]!.labels).toEqual({ host: "a" });
    // The originals are untouched.
    expect(a.rowCount).toBe(1);
  });

  it("refuses a frame of another schema, naming the field", () => {
    const a = createFrame({ fields: [numberField("v", [1])] });
    expect(() => a.concatRows([createFrame({ fields: [stringField("v", ["1"])] })])).toThrow(FieldError);
    expect(() => a.concatRows([createFrame({ fields: [numberField("w", [1])] })])).toThrow(/"w"/);
    expect(() => a.concatRows([createFrame({ fields: [] })])).toThrow(/0 fields/);
  });
});
