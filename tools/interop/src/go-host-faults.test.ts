// Faults that need a host (RELIABILITY.md (Faults)), with the Go host built like Grafana's plugin manager:
// the host SIGKILLed mid-stream and mid-query, and the plugin SIGKILLed and restarted.
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { testdataExecutable } from "./go-host-run.js";
import { buildGoCommand, runCommand } from "./go-tool.js";

interface HostKilledReport {
  call: string;
  runs: { exitMs: number; exitCode: number; signal?: string; socketLeft: boolean }[];
}

interface RestartReport {
  firstPid: number;
  secondPid: number;
  exitedMs: number;
  callAfterKill: string;
  oldSocketLeft: boolean;
  relaunchMs: number;
  queryFrames: number;
  stopExitCode: number;
}

interface FaultsOutput<R> {
  ok: boolean;
  error: string;
  report: R;
}

let faults: string;
beforeAll(async () => {
  if (!existsSync(testdataExecutable)) {
    throw new Error(`${testdataExecutable} is missing: run \`npm run build\` first (npm test does)`);
  }
  faults = await buildGoCommand("faults");
}, 600_000);

async function runFaults<R>(args: string[]): Promise<FaultsOutput<R>> {
  const result = await runCommand(faults, [...args, "--plugin", testdataExecutable], { timeoutMs: 120_000 });
  const output = JSON.parse(result.stdout) as FaultsOutput<R>;
  if (!output.ok) console.error(result.stderr);
  return output;
}

describe("the testdata executable, its Go host SIGKILLed with a call in flight", () => {
  it.each(["stream", "query"])(
    "exits by itself with status 0 and removes its socket (mid-%s, 3 runs)",
    async (call) => {
      const { ok, error, report } = await runFaults<HostKilledReport>([
        "host-killed",
        "--call",
        call,
        "--runs",
        "3",
      ]);
      expect(error).toBe("");
      expect(ok).toBe(true);
      expect(report.runs).toHaveLength(3);
      for (const run of report.runs) {
        expect(run).toMatchObject({ exitCode: 0, socketLeft: false });
        expect(run.signal).toBeUndefined();
        // The parent is polled every second; the call is cancelled with the host's connection.
        expect(run.exitMs).toBeLessThan(5000);
      }
    },
    180_000,
  );
});

describe("the testdata executable SIGKILLed under go-plugin", () => {
  it("is seen as exited, and a new client with the same config starts one that answers CheckHealth and QueryData", async () => {
    const { ok, error, report } = await runFaults<RestartReport>(["restart"]);
    expect(error).toBe("");
    expect(ok).toBe(true);
    expect(report.exitedMs).toBeLessThan(2000);
    expect(report.callAfterKill).toMatch(/Unavailable/);
    expect(report.secondPid).not.toBe(report.firstPid);
    expect(report.queryFrames).toBe(2);
    expect(report.stopExitCode).toBe(0);
  }, 120_000);
});
