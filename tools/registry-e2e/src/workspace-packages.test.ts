import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findUnbuilt, listPublishedPackages } from "./workspace-packages.js";

describe("listPublishedPackages and findUnbuilt", () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "gfsdk-workspace-packages-test-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function addPackage(dir: string, manifest: object | undefined, built: boolean) {
    const path = join(root, "packages", dir);
    await mkdir(path, { recursive: true });
    if (manifest) await writeFile(join(path, "package.json"), JSON.stringify(manifest));
    if (built) await mkdir(join(path, "dist"));
  }

  it("lists the packages that are not private, by name, and names the ones without dist", async () => {
    await addPackage("zeta", { name: "@x/zeta", version: "1.0.0" }, false);
    await addPackage("alpha", { name: "@x/alpha", version: "2.0.0" }, true);
    await addPackage("conformance", { name: "@x/conformance", version: "0.0.0", private: true }, false);
    await addPackage("not-a-package", undefined, false);
    const packages = await listPublishedPackages(root);
    expect(packages).toEqual([
      { name: "@x/alpha", version: "2.0.0", dir: join(root, "packages", "alpha") },
      { name: "@x/zeta", version: "1.0.0", dir: join(root, "packages", "zeta") },
    ]);
    expect(await findUnbuilt(packages)).toEqual([join(root, "packages", "zeta", "dist")]);
  });

  it("fails on a package.json without a version", async () => {
    await addPackage("broken", { name: "@x/broken" }, true);
    await expect(listPublishedPackages(root)).rejects.toThrow(/has no name or version/);
  });
});
