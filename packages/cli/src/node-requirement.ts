/** The Node.js gfsdk's tools and packages need, as every package's `engines` states it. */
export const nodeRequirement = ">=22.12.0";

/** Throws, naming the fix, when the running Node.js is older than {@link nodeRequirement}. */
export function assertSupportedNode(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return;
  throw new Error(
    `gfsdk needs Node.js 22.12 or newer; this is Node.js ${version}. Install a current LTS release ` +
      "(https://nodejs.org, or `nvm install --lts`) and run the command again.",
  );
}
