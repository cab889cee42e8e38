import { describe, expect, it } from "vitest";
import { parseHandshake } from "./handshake.js";

describe("parseHandshake", () => {
  it("parses a unix socket handshake with go-plugin's empty sixth field", () => {
    expect(parseHandshake("1|2|unix|/tmp/plugin123|grpc|\n")).toEqual({
      line: "1|2|unix|/tmp/plugin123|grpc|",
      coreProtocolVersion: 1,
      appProtocolVersion: 2,
      network: "unix",
      address: "/tmp/plugin123",
      protocol: "grpc",
      serverCertificate: undefined,
      multiplex: false,
    });
  });

  it("parses a TCP handshake without the sixth field, and a seventh (multiplex) field", () => {
    expect(parseHandshake("1|2|tcp|127.0.0.1:10001|grpc")).toMatchObject({
      network: "tcp",
      address: "127.0.0.1:10001",
    });
    expect(parseHandshake("1|2|tcp|:10001|grpc||true").multiplex).toBe(true);
  });

  it("refuses what a go-plugin host refuses, in its words", () => {
    expect(() => parseHandshake("hello world")).toThrow(/Unrecognized remote plugin message: "hello world"/);
    expect(() => parseHandshake("2|2|unix|/s|grpc")).toThrow(/Incompatible core API version with plugin/);
    expect(() => parseHandshake("1|1|unix|/s|grpc")).toThrow(
      /Incompatible API version with plugin. Plugin version: 1, Client versions: \[2\]/,
    );
    expect(() => parseHandshake("1|2|pipe|/s|grpc")).toThrow(/Unknown address type: pipe/);
    expect(() => parseHandshake("1|2|unix|/s")).toThrow(/Unsupported plugin protocol "netrpc"/);
  });

  it("refuses a sixth field long enough to be a certificate that is not one", () => {
    expect(() => parseHandshake(`1|2|unix|/s|grpc|${"A".repeat(60)}`)).toThrow(
      /error parsing server certificate in handshake/,
    );
  });
});
