/** The Node.js gfsdk's tools and packages need, as every package's `engines` states it. */
export const nodeRequirement = ">=22.12.0";

/** Whether `version` (`x.y.z`) is at least `major.minor`; false for anything that is not `x.y.z`. */
export function isNodeVersionAtLeast(version: string, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)\.\d+$/.exec(version);
  if (!match) return false;
  const [got, gotMinor] = [Number(match[1]), Number(match[2])];
  return got > major || (got === major && gotMinor >= minor);
}

/** Throws, naming the fix, when the running Node.js is older than {@link nodeRequirement}. */
export function assertSupportedNode(version: string = process.versions.node): void {
  if (isNodeVersionAtLeast(version, 22, 12)) return;
  throw new Error(
    `gfsdk needs Node.js 22.12 or newer; this is Node.js ${version}. Install a current LTS release ` +
      "(https://nodejs.org, or `nvm install --lts`) and run the command again.",
  );
}
