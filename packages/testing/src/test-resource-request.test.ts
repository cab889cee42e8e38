import { describe, expect, it } from "vitest";
import { toCallResourceRequest } from "./test-resource-request.js";

describe("toCallResourceRequest", () => {
  it("splits the query string off the path and builds the URL Grafana forwards for a data source", () => {
    expect(toCallResourceRequest({ path: "/a/b?x=1&y=2" }, { pluginId: "p", dataSourceUid: "u 1" })).toEqual({
      method: "GET",
      path: "a/b",
      url: "/api/datasources/uid/u%201/resources/a/b?x=1&y=2",
      headers: {},
      body: new Uint8Array(),
    });
  });

  it("uses the app resource URL without a data source", () => {
    expect(toCallResourceRequest({ path: "x" }, { pluginId: "myorg-a-app" }).url).toBe(
      "/api/plugins/myorg-a-app/resources/x",
    );
  });

  it("sends lists of header values and keeps a given content type for object bodies", () => {
    const fields = toCallResourceRequest(
      {
        method: "put",
        path: "x",
        headers: { "content-type": "application/merge-patch+json", A: ["1", "2"] },
        body: [1],
      },
      { pluginId: "p" },
    );
    expect(fields.method).toBe("PUT");
    expect(fields.headers).toEqual({
      "content-type": { values: ["application/merge-patch+json"] },
      A: { values: ["1", "2"] },
    });
    expect(new TextDecoder().decode(fields.body)).toBe("[1]");
  });

  it("sends bytes as they are", () => {
    const bytes = Uint8Array.of(0, 255);
    expect(toCallResourceRequest({ method: "POST", path: "x", body: bytes }, { pluginId: "p" }).body).toBe(
      bytes,
    );
  });
});
