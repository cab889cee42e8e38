import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  frameFromArrow,
  frameFromJSON,
  framesEqual,
  frameToArrow,
  frameToJSONString,
} from "@gfsdk/dataframe";
import { createRandomFrame } from "@gfsdk/dataframe/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGoCommand, runCommand } from "./go-tool.js";

interface Manifest {
  sdkVersion: string;
  vectors: { name: string; arrow: string; json: string; rows: number; fields: number }[];
}

const vectorCount = 200;

describe("frames against grafana-plugin-sdk-go", () => {
  let frames: string;
  let dir: string;
  let manifest: Manifest;

  beforeAll(async () => {
    frames = await buildGoCommand("frames");
    dir = mkdtempSync(join(tmpdir(), "gfsdk-frames-"));
    const written = await runCommand(frames, [
      "write",
      "--out",
      dir,
      "--seed",
      "20261125",
      "--count",
      String(vectorCount),
    ]);
    expect(written.code, written.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gets the all-types frame, the SDK golden frame and 200 random frames from Go", () => {
    const names = manifest.vectors.map((v) => v.name);
    expect(names).toContain("all_types");
    expect(names).toContain("sdk_golden");
    expect(names.filter((n) => n.startsWith("random-"))).toHaveLength(vectorCount);
    expect(manifest.sdkVersion).toMatch(/^v0\.\d+/);
  });

  it("decodes each Go Arrow file and its Go JSON twin to equal frames", () => {
    const failures: string[] = [];
    for (const v of manifest.vectors) {
      const fromArrow = frameFromArrow(readFileSync(join(dir, v.arrow)));
      const fromJson = frameFromJSON(readFileSync(join(dir, v.json), "utf8"));
      const result = framesEqual(fromArrow, fromJson);
      if (!result.equal) failures.push(`${v.name}: ${result.difference}`);
      if (fromArrow.rowCount !== v.rows || fromArrow.fields.length !== v.fields) {
        failures.push(
          `${v.name}: ${fromArrow.fields.length}x${fromArrow.rowCount}, Go says ${v.fields}x${v.rows}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it("writes Arrow and JSON that the Go SDK decodes to frames equal to Go's own", async () => {
    for (const v of manifest.vectors) {
      const frame = frameFromArrow(readFileSync(join(dir, v.arrow)));
      writeFileSync(join(dir, `${v.name}.ts.arrow`), frameToArrow(frame));
      writeFileSync(join(dir, `${v.name}.ts.json`), frameToJSONString(frame));
    }
    const checked = await runCommand(frames, ["check", "--dir", dir]);
    const report = JSON.parse(checked.stdout) as {
      checked: number;
      failures: { file: string; difference: string }[];
    };
    expect(report.failures).toEqual([]);
    expect(report.checked).toBe(manifest.vectors.length * 2);
    expect(checked.code).toBe(0);
  });

  it("writes random frames of its own that the Go SDK reads the same from Arrow and JSON", async () => {
    const own = mkdtempSync(join(tmpdir(), "gfsdk-ts-frames-"));
    try {
      for (let seed = 1; seed <= 200; seed++) {
        const frame = createRandomFrame(seed);
        // Go compares X.arrow with X.ts.arrow and X.ts.json: all three are TypeScript's here.
        writeFileSync(join(own, `ts-random-${seed}.arrow`), frameToArrow(frame));
        writeFileSync(join(own, `ts-random-${seed}.ts.arrow`), frameToArrow(frame));
        writeFileSync(join(own, `ts-random-${seed}.ts.json`), frameToJSONString(frame));
      }
      const checked = await runCommand(frames, ["check", "--dir", own]);
      const report = JSON.parse(checked.stdout) as { checked: number; failures: unknown[] };
      expect(report.failures).toEqual([]);
      expect(report.checked).toBe(400);
      expect(checked.code).toBe(0);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it("is caught by the Go check when TypeScript's output differs", async () => {
    const v = manifest.vectors.find((x) => x.name === "all_types")!;
    const frame = frameFromArrow(readFileSync(join(dir, v.arrow)));
    frame.name = `${frame.name}-altered`;
    writeFileSync(join(dir, `${v.name}.ts.json`), frameToJSONString(frame));
    const checked = await runCommand(frames, ["check", "--dir", dir]);
    const report = JSON.parse(checked.stdout) as { failures: { file: string }[] };
    expect(checked.code).toBe(1);
    expect(report.failures.map((f) => f.file)).toEqual(["all_types.ts.json"]);
  });
});
