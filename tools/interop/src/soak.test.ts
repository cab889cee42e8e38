import { existsSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { testdataExecutable } from "./go-host-run.js";
import { buildGoCommand, runCommand } from "./go-tool.js";

interface RPCStats {
  calls: number;
  expected: number;
  cancelled: number;
  unimplemented: number;
  unexpected: number;
}

/** The soak command's JSON summary (the fields this test reads). */
interface SoakSummary {
  ok: boolean;
  calls: number;
  unexpected: number;
  firstUnexpected: string[];
  rpcs: Record<string, RPCStats>;
  rss: {
    warmupPeakMB: number;
    growthAfterWarmupMB: number;
    endMinusWarmupMB: number;
    curve: [number, number][];
  };
  fds: { start: { open: number; sockets: number }; end: { open: number; sockets: number } };
  nodeHandles: {
    start: { handles: number; resources: number };
    end: { handles: number; resources: number };
  } | null;
  instances: { available: boolean; end: number; max: number; bound: number };
  stop: { exitCode: number };
  bounds: { maxRssGrowthMB: number; fdSlack: number; handleSlack: number };
  violations: string[];
}

const rpcs = [
  "QueryData",
  "QueryChunkedData",
  "CallResource",
  "CheckHealth",
  "CollectMetrics",
  "SubscribeStream",
  "RunStream",
  "PublishStream",
  "ValidateAdmission",
  "MutateAdmission",
  "ConvertObjects",
];

// 30 s of the 10-minute soak (npm run soak): 64 workers, every RPC, settings updates, cancellations.
describe("the testdata executable under a 30-second soak through the Go host", () => {
  let summary: SoakSummary;
  let stderr: string;

  beforeAll(async () => {
    if (!existsSync(testdataExecutable)) {
      throw new Error(`${testdataExecutable} is missing: run \`npm run build\` first (npm test does)`);
    }
    const soak = await buildGoCommand("soak");
    // Installed as Grafana installs it, and run with no environment.
    const installed = await mkdtemp(join(tmpdir(), "gfsdk-soak-"));
    try {
      const executable = join(installed, basename(testdataExecutable));
      await copyFile(testdataExecutable, executable);
      await copyFile(join(dirname(testdataExecutable), "plugin.json"), join(installed, "plugin.json"));
      const result = await runCommand(
        soak,
        [
          "--plugin",
          executable,
          "--duration",
          "30s",
          "--concurrency",
          "64",
          "--warmup",
          "15s",
          "--sample",
          "1s",
        ],
        { timeoutMs: 240_000, env: {} },
      );
      stderr = result.stderr;
      summary = JSON.parse(result.stdout) as SoakSummary;
    } finally {
      await rm(installed, { recursive: true, force: true });
    }
  }, 300_000);

  it("gets the contract's answer to every call", () => {
    expect(summary.firstUnexpected, stderr).toEqual([]);
    expect(summary.unexpected).toBe(0);
    expect(summary.calls).toBeGreaterThan(1000);
  });

  it("exercises every RPC, and cancels queries and streams mid-call", () => {
    for (const rpc of rpcs) expect(summary.rpcs[rpc]?.calls, rpc).toBeGreaterThan(0);
    expect(summary.rpcs.QueryData.cancelled).toBeGreaterThan(0);
    expect(summary.rpcs.RunStream.cancelled).toBeGreaterThan(0);
    expect(summary.rpcs.CallResource.cancelled).toBeGreaterThan(0);
  });

  it("holds its RSS, fd, socket, handle and instance bounds", () => {
    expect(summary.violations).toEqual([]);
    expect(summary.rss.growthAfterWarmupMB).toBeLessThanOrEqual(summary.bounds.maxRssGrowthMB);
    expect(summary.rss.endMinusWarmupMB).toBeLessThanOrEqual(summary.bounds.maxRssGrowthMB);
    expect(summary.fds.end.open).toBeLessThanOrEqual(summary.fds.start.open + summary.bounds.fdSlack);
    expect(summary.fds.end.sockets).toBeLessThanOrEqual(summary.fds.start.sockets + summary.bounds.fdSlack);
    expect(summary.nodeHandles).not.toBeNull();
    expect(summary.nodeHandles!.end.handles).toBeLessThanOrEqual(
      summary.nodeHandles!.start.handles + summary.bounds.handleSlack,
    );
    expect(summary.instances.available).toBe(true);
    expect(summary.instances.end).toBeLessThanOrEqual(summary.instances.bound);
  });

  it("exits with status 0 when Grafana's go-plugin client stops it afterwards", () => {
    expect(summary.stop.exitCode).toBe(0);
    expect(summary.ok).toBe(true);
  });
});
