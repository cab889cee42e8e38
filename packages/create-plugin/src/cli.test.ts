import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";

// Without flags for versions, the command line reads the versions the build wrote.
const versionsFile = join(import.meta.dirname, "..", "dist", "versions.json");

let cwd: string;
let out: string;
let err: string;
const io = () => ({
  cwd,
  stdout: (text: string) => {
    out += text;
  },
  stderr: (text: string) => {
    err += text;
  },
});

beforeAll(() => {
  if (!existsSync(versionsFile)) {
    throw new Error(`${versionsFile} is missing: build first (npx nx run @gfsdk/create-plugin:build)`);
  }
});
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "gfsdk-create-plugin-cli-"));
  out = "";
  err = "";
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

describe("runCli", () => {
  it("writes the project named by the flags and prints the next steps", async () => {
    const code = await runCli(["ramp", "--type", "datasource", "--id", "myorg-ramp-datasource"], io());
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain(`Created the datasource plugin myorg-ramp-datasource in ${join(cwd, "ramp")}.`);
    expect(out).toContain("  cd ramp\n  npm install\n  npm test\n");
    const manifest = JSON.parse(readFileSync(join(cwd, "ramp", "package.json"), "utf8"));
    const versions = JSON.parse(readFileSync(versionsFile, "utf8"));
    expect(manifest.dependencies["@gfsdk/core"]).toBe(versions["@gfsdk/core"]);
  });

  it("fails with exit code 1 and names the missing flags when it cannot ask", async () => {
    expect(await runCli(["somewhere"], io())).toBe(1);
    expect(err).toMatch(/^create-plugin: missing --type <datasource\|app> and --id <plugin id>/);
    expect(existsSync(join(cwd, "somewhere"))).toBe(false);
  });

  it("fails with exit code 1 for an invalid id", async () => {
    expect(await runCli(["x", "-t", "app", "--id", "Acme-x-app"], io())).toBe(1);
    expect(err).toContain('the plugin id "Acme-x-app" has uppercase letters');
  });

  it("refuses an unknown --type, listing the choices", async () => {
    expect(await runCli(["--type", "panel", "--yes"], io())).toBe(1);
    expect(err).toContain("Allowed choices are datasource, app.");
  });

  it("takes defaults with --yes", async () => {
    expect(await runCli(["--yes", "--type", "app"], io())).toBe(0);
    expect(existsSync(join(cwd, "myorg-myplugin-app", "src", "plugin.ts"))).toBe(true);
  });

  it("prints usage with --help and exits 0", async () => {
    expect(await runCli(["--help"], io())).toBe(0);
    expect(out).toContain("Usage: create-plugin [options] [directory]");
    expect(out).toContain("--type <type>");
  });
});
