// The builders of the RPCs other than QueryData: one describe per builder.
import { pluginv2 } from "@gfsdk/core/protocol";
import { describe, expect, it } from "vitest";
import { admissionRequest } from "./admission-request.js";
import { callResourceRequest } from "./call-resource-request.js";
import { checkHealthRequest, collectMetricsRequest } from "./check-health-request.js";
import { conversionRequest } from "./conversion-request.js";
import { publishStreamRequest, runStreamRequest, subscribeStreamRequest } from "./stream-requests.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("checkHealthRequest", () => {
  it("builds the request with the plugin context and headers", () => {
    const request = checkHealthRequest({
      headers: { a: "b" },
      pluginContext: { secureJsonData: { k: "v" } },
    });
    expect(request.$typeName).toBe("pluginv2.CheckHealthRequest");
    expect(request.headers).toEqual({ a: "b" });
    expect(request.pluginContext?.dataSourceInstanceSettings?.decryptedSecureJsonData).toEqual({ k: "v" });
  });
});

describe("collectMetricsRequest", () => {
  it("builds the request with the default plugin context", () => {
    expect(collectMetricsRequest().pluginContext?.pluginId).toBe("gfsdk-test-datasource");
  });
});

describe("callResourceRequest", () => {
  it("builds method, path, the URL Grafana forwards, headers and a JSON body", () => {
    const request = callResourceRequest({
      method: "post",
      path: "/tables/t1?limit=5",
      body: { a: 1 },
      pluginContext: { settings: { uid: "ds1" } },
    });
    expect(request).toMatchObject({
      method: "POST",
      path: "tables/t1",
      url: "/api/datasources/uid/ds1/resources/tables/t1?limit=5",
      headers: { "Content-Type": { values: ["application/json"] } },
    });
    expect(text(request.body)).toBe('{"a":1}');
  });

  it("uses an app's resource URL for an app context", () => {
    const request = callResourceRequest({ path: "x", pluginContext: { app: {}, pluginId: "my-app" } });
    expect(request.url).toBe("/api/plugins/my-app/resources/x");
  });
});

describe("subscribeStreamRequest, runStreamRequest and publishStreamRequest", () => {
  it("send a JSON value as JSON, a string as UTF-8, and no data as empty bytes", () => {
    const subscribe = subscribeStreamRequest({ path: "stream/a", data: { n: 1 } });
    expect(subscribe.$typeName).toBe("pluginv2.SubscribeStreamRequest");
    expect(text(subscribe.data)).toBe('{"n":1}');
    const run = runStreamRequest({ path: "stream/a", data: "raw ✓", headers: { h: "1" } });
    expect(run.$typeName).toBe("pluginv2.RunStreamRequest");
    expect(text(run.data)).toBe("raw ✓");
    expect(run.headers).toEqual({ h: "1" });
    const publish = publishStreamRequest({ path: "p" });
    expect(publish.$typeName).toBe("pluginv2.PublishStreamRequest");
    expect(publish.data).toEqual(new Uint8Array());
  });

  it("refuse a request without a path", () => {
    expect(() => runStreamRequest({} as { path: string })).toThrow(/needs a path/);
  });
});

describe("admissionRequest", () => {
  it("builds the operation by name, the kind and the objects as JSON", () => {
    const request = admissionRequest({
      operation: "UPDATE",
      kind: { group: "g.grafana.app", version: "v1", kind: "Thing" },
      object: { spec: { n: 2 } },
      oldObject: { spec: { n: 1 } },
    });
    expect(request.operation).toBe(pluginv2.AdmissionRequest_Operation.UPDATE);
    expect(request.kind).toMatchObject({ group: "g.grafana.app", version: "v1", kind: "Thing" });
    expect(JSON.parse(text(request.objectBytes))).toEqual({ spec: { n: 2 } });
    expect(JSON.parse(text(request.oldObjectBytes))).toEqual({ spec: { n: 1 } });
  });

  it("defaults to CREATE and refuses an unknown operation, naming the known ones", () => {
    expect(admissionRequest().operation).toBe(pluginv2.AdmissionRequest_Operation.CREATE);
    expect(() => admissionRequest({ operation: "PATCH" as "CREATE" })).toThrow(
      /operation must be one of CREATE, UPDATE, DELETE, not "PATCH"/,
    );
  });
});

describe("conversionRequest", () => {
  it("sends JSON values as application/json and raw objects with their content type", () => {
    const request = conversionRequest({
      objects: [{ kind: "Thing" }, { raw: "a: 1", contentType: "application/yaml" }],
      targetVersion: { group: "g", version: "v2" },
    });
    expect(request.uid).toBe("test-conversion-uid");
    expect(request.objects.map((o) => [text(o.raw), o.contentType])).toEqual([
      ['{"kind":"Thing"}', "application/json"],
      ["a: 1", "application/yaml"],
    ]);
    expect(request.targetVersion).toMatchObject({ group: "g", version: "v2" });
  });
});
