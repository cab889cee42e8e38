import { describe, expect, it } from "vitest";
import { pluginEnvironment } from "./plugin-environment.js";

describe("pluginEnvironment", () => {
  it("adds go-plugin's variables after the host's, as Grafana's plugin manager does", () => {
    const env = pluginEnvironment({
      base: { PATH: "/bin", grafana_plugin_type: "wrong", PLUGIN_PROTOCOL_VERSIONS: "1" },
    });
    expect(env).toEqual({
      PATH: "/bin",
      GF_VERSION: "12.0.0",
      grafana_plugin_type: "datasource",
      PLUGIN_MIN_PORT: "10000",
      PLUGIN_MAX_PORT: "25000",
      PLUGIN_PROTOCOL_VERSIONS: "2",
    });
  });

  it("sets the socket directory, the AutoMTLS certificate and the port range when given", () => {
    const env = pluginEnvironment({
      base: {},
      unixSocketDir: "/run/p",
      clientCert: "-----BEGIN CERTIFICATE-----",
      minPort: 1,
      maxPort: 2,
      grafanaVersion: "11.0.0",
    });
    expect(env).toMatchObject({
      PLUGIN_UNIX_SOCKET_DIR: "/run/p",
      PLUGIN_CLIENT_CERT: "-----BEGIN CERTIFICATE-----",
      PLUGIN_MIN_PORT: "1",
      PLUGIN_MAX_PORT: "2",
      GF_VERSION: "11.0.0",
    });
  });

  it("applies env last: it adds variables and removes those set to undefined", () => {
    const env = pluginEnvironment({ base: { HOME: "/root" }, env: { GF_PLUGIN_X: "1", HOME: undefined } });
    expect(env.GF_PLUGIN_X).toBe("1");
    expect("HOME" in env).toBe(false);
  });

  it("inherits this process's environment by default", () => {
    expect(pluginEnvironment().PATH).toBe(process.env.PATH);
  });
});
