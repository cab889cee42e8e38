import { describe, expect, it } from "vitest";
import { errorResponse, responseErrorSource } from "./error-response.js";
import { PluginError } from "./plugin-error.js";

describe("errorResponse", () => {
  it("answers a PluginError with its status, its message as JSON and its source", async () => {
    const response = errorResponse(new PluginError("table not found", { status: 404, source: "downstream" }));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ message: "table not found" });
    expect(responseErrorSource(response)).toBe("downstream");
  });

  it("answers anything else as a 500 from the plugin", async () => {
    for (const thrown of [new TypeError("x is undefined"), "a string", { code: 1 }]) {
      const response = errorResponse(thrown);
      expect(response.status).toBe(500);
      expect(responseErrorSource(response)).toBe("plugin");
    }
    expect(await errorResponse(new TypeError("x is undefined")).json()).toEqual({
      message: "x is undefined",
    });
    expect(await errorResponse({ code: 1 }).json()).toEqual({ message: 'non-error thrown: {"code":1}' });
  });

  it("answers a thrown status that is no error status, or no HTTP status, as 500", () => {
    expect(errorResponse(new PluginError("fine?", { status: 200 })).status).toBe(500);
    expect(errorResponse(new PluginError("odd", { status: 404.5 })).status).toBe(500);
  });

  it("answers an error thrown after the call's deadline passed as a 504", () => {
    const controller = new AbortController();
    controller.abort(new DOMException("deadline exceeded", "TimeoutError"));
    expect(errorResponse(new Error("aborted"), controller.signal).status).toBe(504);
    expect(errorResponse(new Error("aborted"), new AbortController().signal).status).toBe(500);
  });

  it("gives no error source to a Response it did not make", () => {
    expect(responseErrorSource(Response.json({ message: "x" }, { status: 500 }))).toBeUndefined();
  });
});
