import { describe, expect, it } from "vitest";
import { SecretRedactor } from "./logger.js";
import { classifyError, DownstreamError, errorMessage, PluginError } from "./plugin-error.js";

describe("DownstreamError", () => {
  it("is a PluginError with source downstream, status 500 unless given", () => {
    const cause = new Error("connection refused");
    const error = new DownstreamError(cause, { status: 503 });
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toMatchObject({ message: "connection refused", status: 503, source: "downstream", cause });
    expect(new DownstreamError("down")).toMatchObject({ message: "down", status: 500, source: "downstream" });
    expect(new DownstreamError("down").cause).toBeUndefined();
    expect(classifyError(error)).toEqual({ status: 503, source: "downstream" });
  });
});

describe("errorMessage", () => {
  it("masks the redactor's secrets, and renders what is not an Error", () => {
    const redactor = new SecretRedactor();
    redactor.set("ds", ["p4ssw0rd"]);
    expect(errorMessage(new Error("login p4ssw0rd refused"), redactor)).toBe("login [redacted] refused");
    expect(errorMessage({ a: 1 }, redactor)).toBe('non-error thrown: {"a":1}');
    expect(errorMessage("plain")).toBe("plain");
  });
});
