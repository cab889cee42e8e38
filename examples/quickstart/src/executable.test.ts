import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { launchPlugin } from "@gfsdk/testing";
import { describe, expect, it } from "vitest";

// The quick start's executable as `npm run build` wrote it (npm test builds first), started as
// Grafana's plugin manager starts it.
const goOs = { linux: "linux", darwin: "darwin", win32: "windows" }[process.platform as string];
const goArch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
const executable = join(
  resolve(import.meta.dirname, "../dist"),
  `gpx_ramp_${goOs}_${goArch}${process.platform === "win32" ? ".exe" : ""}`,
);

describe("the quick start's executable", () => {
  it("was built for this machine", () => {
    expect(existsSync(executable), executable).toBe(true);
  });

  it("answers health and a query as Grafana calls it, then shuts down cleanly", async () => {
    const plugin = await launchPlugin(executable, { jsonData: { step: 3 } });
    try {
      expect((await plugin.checkHealth()).status).toBe("OK");
      const { status, frames } = await plugin.query({});
      expect(status).toBe(200);
      expect(frames[0]!.field("value")!.length).toBe(10);
      expect(frames[0]!.field("value")!.at(2)).toBe(6);
    } finally {
      expect(await plugin.shutdown()).toEqual({ code: 0, signal: null });
    }
  }, 60_000);
});
