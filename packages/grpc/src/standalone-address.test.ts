import { describe, expect, it } from "vitest";
import { parseTcpAddress, standaloneAddressEnvName } from "./standalone-address.js";

describe("standaloneAddressEnvName", () => {
  it("upper-cases the plugin id and turns dashes into underscores", () => {
    expect(standaloneAddressEnvName("gfsdk-testdata-datasource")).toBe(
      "GF_PLUGIN_GRPC_ADDRESS_GFSDK_TESTDATA_DATASOURCE",
    );
  });
});

describe("parseTcpAddress", () => {
  it("splits host and port, reading Go's :PORT as loopback", () => {
    expect(parseTcpAddress("127.0.0.1:5000")).toEqual({ host: "127.0.0.1", port: 5000 });
    expect(parseTcpAddress(":5000")).toEqual({ host: "127.0.0.1", port: 5000 });
    expect(parseTcpAddress("[::1]:5000")).toEqual({ host: "[::1]", port: 5000 });
  });

  it("rejects an address without a valid port", () => {
    expect(() => parseTcpAddress("localhost")).toThrow(/host:port/);
    expect(() => parseTcpAddress("localhost:99999")).toThrow(/host:port/);
  });
});
