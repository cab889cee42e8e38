import { describe, expect, it } from "vitest";
import { negotiateProtocolVersion, parseGoPluginEnv } from "./go-plugin-env.js";

describe("parseGoPluginEnv", () => {
  it("reads what Grafana sets", () => {
    const env = parseGoPluginEnv({
      grafana_plugin_type: "datasource",
      PLUGIN_PROTOCOL_VERSIONS: "2",
      PLUGIN_MIN_PORT: "10000",
      PLUGIN_MAX_PORT: "25000",
    });
    expect(env).toEqual({
      cookieMatches: true,
      protocolVersions: [2],
      minPort: 10000,
      maxPort: 25000,
      unixSocketDir: undefined,
      unixSocketGroup: undefined,
      clientCert: undefined,
    });
  });

  it("sees a missing or different magic cookie", () => {
    expect(parseGoPluginEnv({}).cookieMatches).toBe(false);
    expect(parseGoPluginEnv({ grafana_plugin_type: "app" }).cookieMatches).toBe(false);
  });

  it("skips protocol versions that are not integers, and treats a list of none as absent", () => {
    expect(parseGoPluginEnv({ PLUGIN_PROTOCOL_VERSIONS: "1, x,3" }).protocolVersions).toEqual([1, 3]);
    expect(parseGoPluginEnv({ PLUGIN_PROTOCOL_VERSIONS: "x" }).protocolVersions).toBeUndefined();
    expect(parseGoPluginEnv({ PLUGIN_PROTOCOL_VERSIONS: "" }).protocolVersions).toBeUndefined();
  });

  it("defaults the port range to any free port", () => {
    expect(parseGoPluginEnv({})).toMatchObject({ minPort: 0, maxPort: 0 });
  });

  it("rejects malformed ports and an inverted range", () => {
    expect(() => parseGoPluginEnv({ PLUGIN_MIN_PORT: "ten" })).toThrow(/PLUGIN_MIN_PORT/);
    expect(() => parseGoPluginEnv({ PLUGIN_MAX_PORT: "70000" })).toThrow(/PLUGIN_MAX_PORT/);
    expect(() => parseGoPluginEnv({ PLUGIN_MIN_PORT: "20", PLUGIN_MAX_PORT: "10" })).toThrow(/greater than/);
  });

  it("reads the socket directory, group and client certificate", () => {
    const env = parseGoPluginEnv({
      PLUGIN_UNIX_SOCKET_DIR: "/run/plugins",
      PLUGIN_UNIX_SOCKET_GROUP: "grafana",
      PLUGIN_CLIENT_CERT: "-----BEGIN CERTIFICATE-----",
    });
    expect(env).toMatchObject({
      unixSocketDir: "/run/plugins",
      unixSocketGroup: "grafana",
      clientCert: "-----BEGIN CERTIFICATE-----",
    });
  });
});

describe("negotiateProtocolVersion", () => {
  it("picks 2 when the host lists it or lists nothing", () => {
    expect(negotiateProtocolVersion([1, 2])).toBe(2);
    expect(negotiateProtocolVersion(undefined)).toBe(2);
  });

  it("finds no version when the host accepts only others", () => {
    expect(negotiateProtocolVersion([1, 3])).toBeUndefined();
  });
});
