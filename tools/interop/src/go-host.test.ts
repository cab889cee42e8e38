import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type HostReport, runGoHost, testdataExecutable } from "./go-host-run.js";
import { repoRoot } from "./go-tool.js";

describe("the testdata executable driven by a Go host built like Grafana's plugin manager", () => {
  let report: HostReport;
  let scenarios: string[];

  beforeAll(async () => {
    ({ report, scenarios } = await runGoHost("host"));
  }, 900_000);

  it("builds an executable file of mode 0755 named as Grafana computes it", () => {
    expect(statSync(testdataExecutable).mode & 0o777).toBe(0o755);
    expect(existsSync(join(repoRoot, "examples/testdata/dist/plugin.json"))).toBe(true);
  });

  it("runs every scenario of the host", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(47);
    expect(report.scenarios.map((s) => s.name)).toEqual(scenarios);
  });

  it.each([
    "no-magic-cookie",
    "handshake-line",
    "launch",
    "health-ping",
    "check-health-ok",
    "check-health-fail",
    "query-random-walk-arrow",
    "query-random-walk-json",
    "query-random-walk-default-points",
    "query-all-types-arrow",
    "query-all-types-json",
    "query-rows",
    "query-error-plugin",
    "query-error-downstream",
    "query-slow",
    "query-slow-cancelled",
    "query-unknown-type",
    "query-multi",
    "query-concurrent",
    "resource-echo-get",
    "resource-echo-post",
    "resource-stream",
    "resource-not-found",
    "stream-subscribe-ok",
    "stream-subscribe-not-found",
    "stream-run",
    "stream-publish-denied",
    "query-bad-model-values",
    "check-health-error-source",
    "resource-error-source",
    "chunked-random-walk-arrow",
    "chunked-random-walk-json",
    "chunked-rows-arrow",
    "chunked-rows-json",
    "chunked-error",
    "chunked-bad-model",
    "chunked-slow-consumer",
    "admission-validate-allowed",
    "admission-validate-denied",
    "admission-mutate",
    "conversion-convert",
    "conversion-not-json",
    "collect-metrics",
    "metrics-count-every-call",
    "stderr-logs",
    "kill",
    "restart",
  ])("passes %s", (name) => {
    const scenario = report.scenarios.find((s) => s.name === name);
    expect(scenario, `scenario ${name} ran`).toBeDefined();
    expect(scenario!.error).toBe("");
    expect(scenario!.ok).toBe(true);
  });
});
