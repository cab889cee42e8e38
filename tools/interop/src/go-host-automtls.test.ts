import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildGoCommand, repoRoot, runCommand } from "./go-tool.js";

const executable = join(repoRoot, "examples/testdata/dist/gpx_testdata_linux_amd64");

interface HostReport {
  autoMTLS: boolean;
  ok: boolean;
  scenarios: { name: string; ok: boolean; error: string; ms: number }[];
}

describe("the testdata executable driven by go-plugin with AutoMTLS (mutual TLS, one-time certificates)", () => {
  let report: HostReport;
  let scenarios: string[];

  beforeAll(async () => {
    if (!existsSync(executable)) {
      throw new Error(`${executable} is missing: run \`npm run build\` first (npm test does)`);
    }
    const host = await buildGoCommand("host", "host-automtls");
    scenarios = (await runCommand(host, ["--list"])).stdout.split("\n").filter((l) => l.trim() !== "");
    const result = await runCommand(host, ["--plugin", executable, "--automtls", "--json"], {
      timeoutMs: 600_000,
    });
    report = JSON.parse(result.stdout) as HostReport;
    if (!report.ok) console.error(result.stderr);
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
