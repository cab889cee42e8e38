import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readWorkspaceVersions, templatePackages } from "./read-workspace-versions.js";

const packagesDir = join(import.meta.dirname, "..", "..");

describe("readWorkspaceVersions", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("gives a caret range of each sibling package's version", () => {
    const versions = readWorkspaceVersions(packagesDir);
    for (const [name, folder] of Object.entries(templatePackages)) {
      const manifest = JSON.parse(readFileSync(join(packagesDir, folder, "package.json"), "utf8"));
      expect(versions[name as keyof typeof versions]).toBe(`^${manifest.version}`);
    }
  });

  it("refuses a directory that holds another package", () => {
    dir = mkdtempSync(join(tmpdir(), "gfsdk-versions-"));
    mkdirSync(join(dir, "core"));
    writeFileSync(join(dir, "core", "package.json"), JSON.stringify({ name: "other", version: "1.0.0" }));
    expect(() => readWorkspaceVersions(dir!)).toThrow(/is other, expected @gfsdk\/core/);
  });
});
