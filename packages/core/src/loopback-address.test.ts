import { describe, expect, it } from "vitest";
import { assertLoopbackHost, isLoopbackHost } from "./loopback-address.js";

describe("isLoopbackHost", () => {
  it.each([
    "localhost",
    "LOCALHOST",
    "localhost.",
    "127.0.0.1",
    "127.1.2.3",
    "127.255.255.255",
    "::1",
    "[::1]",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
    "[::ffff:127.0.0.1]",
  ])("accepts the loopback host %j", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    "",
    " ",
    "0.0.0.0",
    "::",
    "[::]",
    "0:0:0:0:0:0:0:0",
    "192.168.1.10",
    "10.0.0.1",
    "128.0.0.1",
    "127.0.0.256",
    "127.0.0",
    "127.0.0.1.example.com",
    "localhost.example.com",
    "mylocalhost",
    "::2",
    "::ffff:10.0.0.1",
    "fe80::1",
    "example.com",
  ])("refuses the host %j, which other machines may reach", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe("assertLoopbackHost", () => {
  it("returns a loopback host unchanged", () => {
    expect(assertLoopbackHost("127.0.0.1")).toBe("127.0.0.1");
    expect(assertLoopbackHost("[::1]")).toBe("[::1]");
  });

  it("throws for any other host, naming the host and the option that allows it", () => {
    expect(() => assertLoopbackHost("0.0.0.0")).toThrow(
      /refusing to listen on non-loopback host "0\.0\.0\.0".*set allowRemote: true/,
    );
    expect(() => assertLoopbackHost("", { optionName: "listen.allowRemote" })).toThrow(
      /non-loopback host "".*set listen\.allowRemote: true/,
    );
  });

  it("accepts any host with allowRemote: true, and only with true", () => {
    expect(assertLoopbackHost("0.0.0.0", { allowRemote: true })).toBe("0.0.0.0");
    expect(() => assertLoopbackHost("0.0.0.0", { allowRemote: false })).toThrow(/non-loopback/);
    expect(() => assertLoopbackHost("0.0.0.0", { allowRemote: "yes" as unknown as boolean })).toThrow(
      /non-loopback/,
    );
  });
});
