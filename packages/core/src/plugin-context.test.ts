import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { PluginContextSchema } from "./gen/pluginv2/backend_pb.js";
import { SecretRedactor } from "./logger.js";
import { PluginContextParser } from "./plugin-context.js";

const encoder = new TextEncoder();

const message = (uid: string, secret: string, lastUpdatedMS = 1n, jsonData = "{}") =>
  create(PluginContextSchema, {
    orgId: 2n,
    pluginId: "p",
    dataSourceInstanceSettings: {
      uid,
      jsonData: encoder.encode(jsonData),
      decryptedSecureJsonData: { key: secret },
      lastUpdatedMS,
    },
  });

describe("PluginContextParser", () => {
  it("parses settings once while they stay the same", () => {
    const parser = new PluginContextParser();
    const a = parser.parse(message("u", "s1")).dataSourceInstanceSettings;
    const b = parser.parse(message("u", "s1")).dataSourceInstanceSettings;
    expect(b).toBe(a);
    expect(parser.parse(message("u", "s1", 2n)).dataSourceInstanceSettings).not.toBe(a);
    expect(parser.size).toBe(1);
  });

  it("registers each settings' secrets, replacing them when the settings change", () => {
    const redactor = new SecretRedactor();
    const parser = new PluginContextParser({ redactor });
    parser.parse(message("u", "first-secret"));
    expect(redactor.redact("first-secret")).toBe("[redacted]");
    parser.parse(message("u", "second-secret", 2n));
    expect(redactor.redact("first-secret second-secret")).toBe("first-secret [redacted]");
    parser.parse(message("v", "other-secret"));
    expect(redactor.size).toBe(2);
  });

  it("drops settings idle for idleTtlMs with their secrets, and evicted ones at once", () => {
    let now = 0;
    const redactor = new SecretRedactor();
    const parser = new PluginContextParser({ redactor, idleTtlMs: 1000, now: () => now });
    parser.parse(message("idle", "idle-secret"));
    parser.parse(message("busy", "busy-secret"));
    now = 600;
    parser.parse(message("busy", "busy-secret"));
    now = 1100;
    parser.parse(message("busy", "busy-secret"));
    expect(parser.size).toBe(1);
    expect(redactor.redact("idle-secret busy-secret")).toBe("idle-secret [redacted]");
    parser.evict("ds#2#busy");
    expect(parser.size).toBe(0);
    expect(redactor.size).toBe(0);
  });

  it("makes jsonData that is not an object a 400 naming the data source", () => {
    const parser = new PluginContextParser();
    expect(() => parser.parse(message("u", "s", 1n, "[1]"))).toThrow(
      /invalid jsonData in data source u settings/,
    );
    expect(parser.parse(message("u", "s", 1n, "null")).dataSourceInstanceSettings?.jsonData).toEqual({});
  });
});
