import { pluginv2 } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { dataQuery, queryChunkedDataRequest, queryDataRequest, refIdAt } from "./query-data-request.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("queryDataRequest", () => {
  it("numbers queries A, B, … by position, keeps given refIds, and encodes models as JSON", () => {
    const request = queryDataRequest({
      queries: [{ model: { expr: "up" } }, { refId: "X", queryType: "logs" }, {}],
      headers: { http_X_Trace: "1" },
      pluginContext: { jsonData: { url: "u" } },
    });
    expect(request.$typeName).toBe("pluginv2.QueryDataRequest");
    expect(request.queries.map((q) => q.refId)).toEqual(["A", "X", "C"]);
    expect(text(request.queries[0]!.json)).toBe('{"expr":"up"}');
    expect(request.queries[1]!.queryType).toBe("logs");
    expect(request.headers).toEqual({ http_X_Trace: "1" });
    expect(request.format).toBe(pluginv2.DataFrameFormat.ARROW);
    expect(text(request.pluginContext!.dataSourceInstanceSettings!.jsonData)).toBe('{"url":"u"}');
  });

  it("sends one default query when given none, and asks for JSON frames with format json", () => {
    const request = queryDataRequest({ format: "json" });
    expect(request.queries).toHaveLength(1);
    expect(request.queries[0]!.refId).toBe("A");
    expect(request.format).toBe(pluginv2.DataFrameFormat.JSON);
  });

  it("refuses two queries with one refId, and an unknown format", () => {
    expect(() => queryDataRequest({ queries: [{ refId: "B" }, {}] })).toThrow(/two queries have refId "B"/);
    expect(() => queryDataRequest({ format: "csv" as "json" })).toThrow(/format must be "arrow" or "json"/);
  });
});

describe("queryChunkedDataRequest", () => {
  it("builds the chunked request message from the same plain values", () => {
    const request = queryChunkedDataRequest({ queries: [{ maxDataPoints: 5 }], format: "json" });
    expect(request.$typeName).toBe("pluginv2.QueryChunkedDataRequest");
    expect(request.queries[0]!.maxDataPoints).toBe(5n);
    expect(request.format).toBe(pluginv2.DataFrameFormat.JSON);
  });
});

describe("dataQuery", () => {
  it("builds one DataQuery with refId A and the time range from Dates", () => {
    const query = dataQuery({ timeRange: { from: new Date(5000), to: 9000 }, intervalMs: 250 });
    expect(query.refId).toBe("A");
    expect(query.timeRange).toMatchObject({ fromEpochMS: 5000n, toEpochMS: 9000n });
    expect(query.intervalMS).toBe(250n);
  });

  it("refuses a maxDataPoints that is not a finite number", () => {
    expect(() => dataQuery({ maxDataPoints: Number.NaN })).toThrow(/maxDataPoints is not a finite number/);
  });
});

describe("refIdAt", () => {
  it("counts A…Z, then AA, AB, as Grafana's query editor does", () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(refIdAt)).toEqual(["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});
