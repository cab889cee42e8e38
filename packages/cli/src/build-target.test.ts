import { describe, expect, it } from "vitest";
import {
  buildTargets,
  executableFileName,
  nodePlatformOf,
  parseBuildTargets,
  targetOf,
} from "./build-target.js";

describe("parseBuildTargets", () => {
  it("takes a comma-separated list with Go's names and drops repeats", () => {
    expect(parseBuildTargets("linux-amd64, windows-arm64,linux-amd64")).toEqual([
      "linux-amd64",
      "windows-arm64",
    ]);
  });
  it("refuses an unknown target, naming the valid ones", () => {
    expect(() => parseBuildTargets("linux-x64")).toThrow(
      /unknown target "linux-x64"; use one or more of linux-amd64, linux-arm64/,
    );
  });
  it("refuses an empty list", () => {
    expect(() => parseBuildTargets(" , ")).toThrow(/--target is empty/);
  });
});

describe("executableFileName", () => {
  it("names files as Grafana looks them up, .exe on Windows", () => {
    expect(buildTargets.map((target) => executableFileName("gpx_x", target))).toEqual([
      "gpx_x_linux_amd64",
      "gpx_x_linux_arm64",
      "gpx_x_darwin_amd64",
      "gpx_x_darwin_arm64",
      "gpx_x_windows_amd64.exe",
      "gpx_x_windows_arm64.exe",
    ]);
  });
});

describe("nodePlatformOf", () => {
  it("maps a target to the registry's Node.js package", () => {
    expect(nodePlatformOf("windows-arm64")).toEqual({
      platform: "win32",
      arch: "arm64",
      packageSuffix: "win-arm64",
    });
    expect(nodePlatformOf("darwin-amd64").packageSuffix).toBe("darwin-x64");
  });
});

describe("targetOf", () => {
  it("maps Node's platform and arch to a target, undefined for others", () => {
    expect(targetOf("linux", "x64")).toBe("linux-amd64");
    expect(targetOf("win32", "arm64")).toBe("windows-arm64");
    expect(targetOf("freebsd", "x64")).toBeUndefined();
    expect(targetOf("linux", "ia32")).toBeUndefined();
  });
});
