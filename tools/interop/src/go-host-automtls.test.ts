import { beforeAll, describe, expect, it } from "vitest";
import { type HostReport, runGoHost } from "./go-host-run.js";

describe("the testdata executable driven by go-plugin with AutoMTLS (mutual TLS, one-time certificates)", () => {
  let report: HostReport;
  let scenarios: string[];

  beforeAll(async () => {
    ({ report, scenarios } = await runGoHost("host-automtls", ["--automtls"]));
  }, 900_000);

  it("runs every scenario of the host, in AutoMTLS mode", () => {
    expect(report.autoMTLS).toBe(true);
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
    expect(report.scenarios.map((s) => s.name)).toEqual(scenarios);
  });

  // handshake-line: field 6 holds a P-521 certificate for localhost; clients without the host's
  // certificate (plaintext, none, another) are refused. launch and restart: go-plugin's connection is
  // TLS and verified the plugin's certificate.
  it.each([
    "handshake-line",
    "launch",
    "health-ping",
    "check-health-ok",
    "query-random-walk-arrow",
    "query-all-types-arrow",
    "resource-stream",
    "stream-run",
    "kill",
    "restart",
  ])("passes %s", (name) => {
    const scenario = report.scenarios.find((s) => s.name === name);
    expect(scenario, `scenario ${name} ran`).toBeDefined();
    expect(scenario!.error).toBe("");
    expect(scenario!.ok).toBe(true);
  });

  it("passes every scenario", () => {
    expect(report.scenarios.filter((s) => !s.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
