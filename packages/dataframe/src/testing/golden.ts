// Test-only access to the protocol golden files, which live outside the repository and are never
// copied into it. Tests that need them are skipped (with a name saying so) when they are absent.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (…/main), from src/testing/ of this package. */
export const repoRoot = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");

/** Directory of the shared golden files, beside the repository. */
export const goldenDir = path.resolve(repoRoot, "../shared/protocol/golden");

/** True when the golden files needed by the tests are present. */
export const hasGolden =
  existsSync(path.join(goldenDir, "all_types.golden.arrow")) &&
  existsSync(path.join(goldenDir, "all_types.golden.json"));

/** Suffix for test names that depend on the golden files. */
export const goldenNote = hasGolden ? "" : ` [NOT RUN: golden files missing in ${goldenDir}]`;

/** Reads a golden file as bytes. */
export function readGolden(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(goldenDir, name)));
}

/** Reads a golden file as text. */
export function readGoldenText(name: string): string {
  return readFileSync(path.join(goldenDir, name), "utf8");
}
