/** A platform a plugin executable is built for, named as Go names it (and as Grafana looks it up). */
export type BuildTarget =
  | "linux-amd64"
  | "linux-arm64"
  | "darwin-amd64"
  | "darwin-arm64"
  | "windows-amd64"
  | "windows-arm64";

/** Every target `gfsdk build` knows, in the order it builds them. */
export const buildTargets: readonly BuildTarget[] = [
  "linux-amd64",
  "linux-arm64",
  "darwin-amd64",
  "darwin-arm64",
  "windows-amd64",
  "windows-arm64",
];

/** Node.js's names for a platform: `process.platform`/`process.arch`, and the npm package suffix. */
export interface NodePlatform {
  platform: "linux" | "darwin" | "win32";
  arch: "x64" | "arm64";
  /** The suffix of the registry's Node.js package, `node-<suffix>`: `linux-x64`, `win-arm64`… */
  packageSuffix: string;
}

const goOs = { linux: "linux", darwin: "darwin", win32: "windows" } as const;
const goArch = { x64: "amd64", arm64: "arm64" } as const;

/** Parses a comma-separated target list (`linux-amd64,windows-amd64`); throws naming the valid ones. */
export function parseBuildTargets(list: string): BuildTarget[] {
  const targets = list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (targets.length === 0)
    throw new Error(`--target is empty; use one or more of ${buildTargets.join(", ")}`);
  for (const target of targets) {
    if (!(buildTargets as readonly string[]).includes(target))
      throw new Error(`unknown target "${target}"; use one or more of ${buildTargets.join(", ")}`);
  }
  return [...new Set(targets as BuildTarget[])];
}

/** The Node.js platform of a target. */
export function nodePlatformOf(target: BuildTarget): NodePlatform {
  const [os, arch] = target.split("-") as [string, string];
  const platform = os === "windows" ? "win32" : (os as "linux" | "darwin");
  const nodeArch = arch === "amd64" ? "x64" : "arm64";
  return { platform, arch: nodeArch, packageSuffix: `${os === "windows" ? "win" : os}-${nodeArch}` };
}

/** The target of a Node.js platform, or undefined when gfsdk builds none for it. */
export function targetOf(platform: string, arch: string): BuildTarget | undefined {
  const os = goOs[platform as keyof typeof goOs];
  const cpu = goArch[arch as keyof typeof goArch];
  return os && cpu ? (`${os}-${cpu}` as BuildTarget) : undefined;
}

/** The file name Grafana looks for: `<executable>_<os>_<arch>`, `.exe` on Windows (Go's names). */
export function executableFileName(executable: string, target: BuildTarget): string {
  const [os, arch] = target.split("-") as [string, string];
  return `${executable}_${os}_${arch}${os === "windows" ? ".exe" : ""}`;
}
