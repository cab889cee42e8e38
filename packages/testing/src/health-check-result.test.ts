import { create } from "@bufbuild/protobuf";
import { pluginv2 } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { toHealthCheckResult } from "./health-check-result.js";

const encoder = new TextEncoder();

describe("toHealthCheckResult", () => {
  it("names the status, parses jsonDetails and gives the v0.300.0 errorSource", () => {
    const response = create(pluginv2.CheckHealthResponseSchema, {
      status: pluginv2.CheckHealthResponse_HealthStatus.ERROR,
      message: "cannot connect",
      jsonDetails: encoder.encode('{"verboseMessage":"dial tcp: refused"}'),
      errorSource: "downstream",
    });
    expect(toHealthCheckResult(response)).toEqual({
      status: "ERROR",
      message: "cannot connect",
      jsonDetails: { verboseMessage: "dial tcp: refused" },
      errorSource: "downstream",
    });
  });

  it("gives UNKNOWN, no details and no source for an empty answer", () => {
    const result = toHealthCheckResult(create(pluginv2.CheckHealthResponseSchema));
    expect(result).toEqual({
      status: "UNKNOWN",
      message: "",
      jsonDetails: undefined,
      errorSource: undefined,
    });
  });

  it("throws a SyntaxError quoting jsonDetails that are not JSON", () => {
    const response = create(pluginv2.CheckHealthResponseSchema, { jsonDetails: encoder.encode("oops") });
    expect(() => toHealthCheckResult(response)).toThrow(/jsonDetails are not JSON: "oops"/);
  });
});
