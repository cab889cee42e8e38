import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { isProcessAlive } from "./process-alive.js";
import { waitFor } from "./testing/wait-for.js";

describe("isProcessAlive", () => {
  it("sees this process and its parent alive", () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(process.ppid)).toBe(true);
  });

  it("sees a process that exited as gone", async () => {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const pid = child.pid ?? 0;
    expect(isProcessAlive(pid)).toBe(true);
    child.kill("SIGKILL");
    await waitFor(() => !isProcessAlive(pid), "the killed process is seen as gone");
  });

  it("rejects pids that cannot be processes", () => {
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
    expect(isProcessAlive(1.5)).toBe(false);
  });
});
