import { readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { defaultCacheDir, readExecutableFormat } from "@gfsdk/cli";
import { describe, expect, it } from "vitest";

// What `gfsdk build` wrote for testdata (npm test builds it first).
const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
const repoRoot = resolve(root, "../..");

const expected = [
  { file: "gpx_testdata_linux_amd64", format: "elf", arch: "amd64" },
  { file: "gpx_testdata_linux_arm64", format: "elf", arch: "arm64" },
  { file: "gpx_testdata_darwin_amd64", format: "mach-o", arch: "amd64" },
  // No Node.js for darwin-arm64 on npm: the x86_64 build, which Rosetta 2 runs.
  { file: "gpx_testdata_darwin_arm64", format: "mach-o", arch: "amd64" },
  { file: "gpx_testdata_windows_amd64.exe", format: "pe", arch: "amd64" },
  { file: "gpx_testdata_windows_arm64.exe", format: "pe", arch: "arm64" },
] as const;

describe("testdata's dist", () => {
  it.each(expected)("$file is a $format $arch executable, mode 0755", async ({ file, format, arch }) => {
    const path = join(dist, file);
    expect((await stat(path)).mode & 0o777).toBe(0o755);
    const header = await readExecutableFormat(path);
    expect(header).toMatchObject({ format, arch });
    // --build-sea drops Node's own signature; a stale one would make macOS kill the binary.
    if (format === "mach-o") expect(header.signed).toBe(false);
  });

  it("has plugin.json with the package's version filled in", async () => {
    const manifest = JSON.parse(await readFile(join(dist, "plugin.json"), "utf8"));
    const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    expect(manifest).toMatchObject({
      id: "gfsdk-testdata-datasource",
      backend: true,
      executable: "gpx_testdata",
    });
    expect(manifest.info.version).toBe(pkg.version);
  });

  it("holds no path of the build machine in any file", async () => {
    const needles = [repoRoot, defaultCacheDir(), join(tmpdir(), "gfsdk-build-")];
    const files = await readdir(dist, { recursive: true, withFileTypes: true });
    const checked: string[] = [];
    for (const entry of files) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const bytes = await readFile(path);
      for (const needle of needles) expect(bytes.includes(needle), `${path} contains ${needle}`).toBe(false);
      checked.push(entry.name);
    }
    expect(checked).toEqual(expect.arrayContaining(expected.map(({ file }) => file)));
  });
});
