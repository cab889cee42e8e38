import { describe, expect, it } from "vitest";
import { errorSourceFromHttpStatus } from "./error-source-from-http-status.js";

describe("errorSourceFromHttpStatus", () => {
  it("blames the plugin for the statuses the Go SDK lists", () => {
    for (const status of [405, 406, 412, 413, 414, 416, 417, 426, 431, 501]) {
      expect(errorSourceFromHttpStatus(status), String(status)).toBe("plugin");
    }
  });

  it("blames downstream for every other 4xx and 5xx status", () => {
    const plugin = new Set([405, 406, 412, 413, 414, 416, 417, 426, 431, 501]);
    for (let status = 400; status <= 599; status++) {
      if (plugin.has(status)) continue;
      expect(errorSourceFromHttpStatus(status), String(status)).toBe("downstream");
    }
  });

  it("answers downstream for 1xx, 2xx and 3xx as Go does", () => {
    for (const status of [100, 200, 204, 301, 304])
      expect(errorSourceFromHttpStatus(status)).toBe("downstream");
  });
});
