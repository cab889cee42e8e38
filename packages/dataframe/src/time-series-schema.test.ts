import { describe, expect, it } from "vitest";
import { boolField, numberField, stringField, timeField } from "./field-builders.js";
import { createFrame } from "./frame.js";
import { timeSeriesSchema } from "./time-series-schema.js";

describe("timeSeriesSchema", () => {
  it("classifies long, wide and non time series frames", () => {
    const long = createFrame({
      fields: [
        numberField("v", [1]),
        timeField("t", [null]),
        stringField("s", ["a"]),
        boolField("b", [true]),
      ],
    });
    expect(timeSeriesSchema(long)).toEqual({
      type: "long",
      timeIndex: 1,
      timeIsNullable: true,
      valueIndices: [0],
      factorIndices: [2, 3],
    });
    expect(
      timeSeriesSchema(createFrame({ fields: [timeField("t", [1n]), numberField("v", [1])] })).type,
    ).toBe("wide");
    expect(timeSeriesSchema(createFrame({ fields: [numberField("v", [1])] })).type).toBe("not");
    expect(
      timeSeriesSchema(createFrame({ fields: [timeField("t", [1n]), stringField("s", ["a"])] })).type,
    ).toBe("not");
  });
});
