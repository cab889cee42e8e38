import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { testdataExecutable } from "./go-host-run.js";
import { interopDir, runCommand } from "./go-tool.js";

interface TraceReport {
  ok: boolean;
  traceId: string;
  flushedAtShutdown: boolean;
  checks: { name: string; ok: boolean; error: string }[];
  spans: { name: string; traceId: string; spanId: string; parentSpanId: string; kind: string }[];
}

describe("the testdata executable traced by a Go host like Grafana (OTLP/gRPC receiver in the host)", () => {
  let report: TraceReport;

  beforeAll(async () => {
    if (!existsSync(testdataExecutable)) {
      throw new Error(`${testdataExecutable} is missing: run \`npm run build\` first (npm test does)`);
    }
    const tracehost = join(interopDir, "bin", "tracehost");
    await promisify(execFile)("go", ["build", "-o", tracehost, "./cmd/tracehost"], { cwd: interopDir });
    // Installed as Grafana runs a plugin: copied out of the build's tree, with no environment but
    // Grafana's and go-plugin's (the host adds GF_INSTANCE_OTLP_*).
    const installed = await mkdtemp(join(tmpdir(), "gfsdk-traced-"));
    try {
      const executable = join(installed, basename(testdataExecutable));
      await copyFile(testdataExecutable, executable);
      await copyFile(join(dirname(testdataExecutable), "plugin.json"), join(installed, "plugin.json"));
      const result = await runCommand(tracehost, ["--plugin", executable], { env: {}, timeoutMs: 120_000 });
      if (result.stdout.trim() === "") throw new Error(`tracehost failed (${result.code}): ${result.stderr}`);
      report = JSON.parse(result.stdout) as TraceReport;
      if (!report.ok) console.error(result.stderr);
    } finally {
      await rm(installed, { recursive: true, force: true });
    }
  }, 180_000);

  it.each([
    "calls succeed",
    "flushed at shutdown",
    "pluginv2.Diagnostics/CheckHealth: server span under Grafana's traceparent",
    "sdk.checkHealth: child of the server span, with the Go SDK's attributes",
    "pluginv2.Data/QueryData: server span under Grafana's traceparent",
    "sdk.queryData: child of the server span, with the Go SDK's attributes",
    "the calls' log lines carry the trace id",
    "tracing off: the calls' log lines still carry Grafana's trace id",
  ])("passes %s", (name) => {
    const check = report.checks.find((c) => c.name === name);
    expect(check, `check ${name} ran`).toBeDefined();
    expect(check!.error).toBe("");
    expect(check!.ok).toBe(true);
  });

  it("received the plugin's spans in Grafana's trace, each server span's parent a host span", () => {
    const servers = report.spans.filter((s) => s.kind === "SPAN_KIND_SERVER");
    expect(servers.map((s) => s.name).sort()).toEqual([
      "pluginv2.Data/QueryData",
      "pluginv2.Diagnostics/CheckHealth",
    ]);
    for (const span of report.spans) expect(span.traceId).toBe(report.traceId);
    const ids = new Set(report.spans.map((s) => s.spanId));
    // The server spans' parents are Grafana's (the host's) spans, not the plugin's own.
    for (const s of servers) expect(ids.has(s.parentSpanId)).toBe(false);
    expect(report.ok).toBe(true);
  });
});
