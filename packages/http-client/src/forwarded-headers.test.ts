import { describe, expect, it } from "vitest";
import { forwardedHeaders } from "./forwarded-headers.js";

describe("forwardedHeaders", () => {
  const rules = { forwardOAuth: true, keepCookies: ["a"] };

  it("reads Grafana's http_ keys and the legacy unprefixed ones, case-insensitively", () => {
    expect(forwardedHeaders({ "http_X-Id-Token": "i", authorization: "Bearer l" }, rules)).toEqual([
      ["Authorization", "Bearer l"],
      ["X-Id-Token", "i"],
    ]);
    // The prefixed key wins over the legacy one.
    expect(forwardedHeaders({ Authorization: "old", http_Authorization: "new" }, rules)).toEqual([
      ["Authorization", "new"],
    ]);
  });

  it("keeps only the allow-listed cookies, and none without a list", () => {
    expect(forwardedHeaders({ http_Cookie: "b=2; a=1" }, rules)).toEqual([["Cookie", "a=1"]]);
    expect(forwardedHeaders({ http_Cookie: "b=2" }, rules)).toEqual([]);
    expect(forwardedHeaders({ http_Cookie: "a=1" }, { forwardOAuth: false, keepCookies: [] })).toEqual([]);
  });

  it("forwards X-Grafana-Id whenever Grafana sent it", () => {
    expect(
      forwardedHeaders(new Headers({ "X-Grafana-Id": "jwt" }), { forwardOAuth: false, keepCookies: [] }),
    ).toEqual([["X-Grafana-Id", "jwt"]]);
  });
});
