import { describe, expect, it } from "vitest";
import { createW3cCallTracer, traceIdOfTraceparent } from "./call-tracer.js";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;

describe("traceIdOfTraceparent", () => {
  it("reads the trace id of a valid traceparent", () => {
    expect(traceIdOfTraceparent(traceparent)).toBe(traceId);
    // A later version may append fields.
    expect(traceIdOfTraceparent(`01-${traceId}-00f067aa0ba902b7-01-extra`)).toBe(traceId);
  });

  it.each([
    ["absent", null],
    ["empty", ""],
    ["version ff", `ff-${traceId}-00f067aa0ba902b7-01`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-00f067aa0ba902b7-01`],
    ["an all-zero parent id", `00-${traceId}-${"0".repeat(16)}-01`],
    ["upper-case hex", `00-${traceId.toUpperCase()}-00f067aa0ba902b7-01`],
    ["a short trace id", `00-${traceId.slice(2)}-00f067aa0ba902b7-01`],
    ["version 00 with extra fields", `${traceparent}-extra`],
  ])("rejects %s", (_name, value) => {
    expect(traceIdOfTraceparent(value)).toBeUndefined();
  });
});

describe("createW3cCallTracer", () => {
  const start = (headers: Record<string, string>) =>
    createW3cCallTracer().start({
      endpoint: "queryData",
      service: "pluginv2.Data",
      method: "QueryData",
      requestHeader: new Headers(headers),
      redact: (t) => t,
    });

  it("gives the call the incoming trace id and forwards traceparent and tracestate downstream", () => {
    const span = start({ traceparent, tracestate: "grafana=1" });
    expect(span.traceId).toBe(traceId);
    const headers = new Headers();
    span
      .startDownstream({ method: "GET", url: "http://db", headers })
      .end({ status: 200, headers: new Headers() });
    expect(headers.get("traceparent")).toBe(traceparent);
    expect(headers.get("tracestate")).toBe("grafana=1");
  });

  it("keeps a traceparent the request has already", () => {
    const headers = new Headers({ traceparent: "00-11111111111111111111111111111111-2222222222222222-01" });
    start({ traceparent }).startDownstream({ method: "GET", url: "http://db", headers });
    expect(headers.get("traceparent")).toBe("00-11111111111111111111111111111111-2222222222222222-01");
  });

  it("has no trace id and adds no header without a valid traceparent", () => {
    const span = start({ traceparent: "garbage" });
    expect(span.traceId).toBeUndefined();
    const headers = new Headers();
    span.startDownstream({ method: "GET", url: "http://db", headers });
    expect([...headers.keys()]).toEqual([]);
    expect(span.run(() => 42)).toBe(42);
  });
});
