import { describe, expect, it } from "vitest";
import { formatHandshake } from "./handshake.js";

describe("formatHandshake", () => {
  it("formats a unix socket handshake with an empty certificate field, as go-plugin does", () => {
    expect(formatHandshake({ network: "unix", address: "/tmp/plugin123" })).toBe(
      "1|2|unix|/tmp/plugin123|grpc|",
    );
  });

  it("formats a TCP handshake", () => {
    expect(formatHandshake({ network: "tcp", address: "127.0.0.1:10001" })).toBe(
      "1|2|tcp|127.0.0.1:10001|grpc|",
    );
  });

  it("puts the AutoMTLS certificate in field 6", () => {
    const cert = "MIIB".repeat(20);
    expect(formatHandshake({ network: "tcp", address: "127.0.0.1:1", serverCert: cert }).split("|")[5]).toBe(
      cert,
    );
  });

  it("refuses fields that would break the line apart", () => {
    expect(() => formatHandshake({ network: "unix", address: "/tmp/a|b" })).toThrow(/"\|"/);
    expect(() => formatHandshake({ network: "unix", address: "/tmp/a\nb" })).toThrow(/newline/);
  });
});
