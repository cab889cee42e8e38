import { describe, expect, it } from "vitest";
import { isHttpStatus } from "./http-status.js";

describe("isHttpStatus", () => {
  it("accepts integers from 100 to 599 only", () => {
    expect([100, 200, 599].every(isHttpStatus)).toBe(true);
    expect([99, 600, 404.5, Number.NaN, "200", 2 ** 31].some(isHttpStatus)).toBe(false);
  });
});
