// Writes dist/versions.json: the versions of the sibling gfsdk packages as they are now, which a
// generated project depends on. Runs after tsc as part of the build (Node strips the types).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readWorkspaceVersions } from "../src/read-workspace-versions.ts";

const root = join(import.meta.dirname, "..");
const versions = readWorkspaceVersions(join(root, ".."));
mkdirSync(join(root, "dist"), { recursive: true });
writeFileSync(join(root, "dist", "versions.json"), `${JSON.stringify(versions, null, 2)}\n`);
