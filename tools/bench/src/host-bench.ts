import { execFile } from "node:child_process";
import type { HostBenchCase, HostBenchResult } from "./bench-results.js";

/**
 * Runs `host --plugin <plugin> --bench` (launch, 3 warm-up calls, then `concurrency` workers
 * sending QueryData for `duration`, every response decoded by the Go SDK) and returns its JSON.
 * Throws when the host fails or any call failed.
 */
export function hostBench(host: string, plugin: string, c: HostBenchCase): Promise<HostBenchResult> {
  const args = ["--plugin", plugin, "--bench", "--query", c.query, "--rows", `${c.rows}`];
  args.push("--concurrency", `${c.concurrency}`, "--duration", c.duration);
  return new Promise((resolve, reject) => {
    execFile(host, args, { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) => {
      const line = stdout.trim().split("\n").pop() ?? "";
      let result: HostBenchResult | undefined;
      try {
        result = JSON.parse(line) as HostBenchResult;
      } catch {
        result = undefined;
      }
      if (result !== undefined && result.errors === 0) resolve(result);
      else {
        const why = result?.firstError ?? error?.message ?? "no result";
        reject(new Error(`host --bench ${args.join(" ")}: ${why}\n${stderr.slice(-2000)}`));
      }
    });
  });
}
