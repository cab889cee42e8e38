// Checks every publishable package (packages/*, not private) as npm would publish it; run it after
// `npm run build`. For each package it runs `npm pack` (the tarball `npm publish` uploads), then on
// that tarball `publint --strict` and `attw --profile esm-only` (@arethetypeswrong/cli), and checks
// what neither of them does: the manifest fields every package needs, export conditions, bins and
// source maps that point at files missing from the tarball, and published sources with no build.
//
//   node tools/scripts/check-packages.ts [package ...]    e.g. core, @gfsdk/grpc or packages/cli
//
// A package with no sources and no build yet is skipped. Exits 1 when any package has a problem.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, posix, resolve } from "node:path";
import { promisify } from "node:util";

const root = resolve(import.meta.dirname, "../..");
const repositoryUrl = "git+https://github.com/gfsdk/gfsdk.git";
const githubUrl = "https://github.com/gfsdk/gfsdk";
const nodeRange = ">=22.12.0";
const license = "Apache-2.0";
// attw's esm-only profile: CommonJS consumers (node10, node16 from CJS) are not supported.
const ignoredResolutions = ["node10", "node16-cjs"];
// At most this many lines per problem group are printed.
const maxLines = 15;

type Dependencies = Record<string, string>;

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  keywords?: unknown;
  homepage?: string;
  bugs?: string | { url?: string };
  repository?: string | { type?: string; url?: string; directory?: string };
  license?: string;
  author?: string | { name?: string };
  type?: string;
  engines?: Record<string, string>;
  main?: string;
  module?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  files?: string[];
  dependencies?: Dependencies;
  peerDependencies?: Dependencies;
  peerDependenciesMeta?: Record<string, unknown>;
  optionalDependencies?: Dependencies;
  publishConfig?: Record<string, unknown>;
}

interface PackageDir {
  /** The directory name under packages/. */
  dir: string;
  path: string;
  manifest: Manifest;
}

interface Report {
  pkg: PackageDir;
  skipped?: string;
  /** Problems by group (manifest, tarball, publint, attw). */
  problems: Map<string, string[]>;
  /** Notes that do not fail the check (publint suggestions). */
  notes: string[];
  summary: string;
}

interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

const execFileAsync = promisify(execFile);

async function exec(file: string, args: string[], cwd: string): Promise<ExecResult> {
  const env = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" };
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, env, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === "number" ? e.code : 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? e.message,
    };
  }
}

/** The script of an installed tool's command, run below with this Node (the repository's). */
function toolBin(packageName: string, command: string): string {
  const dir = join(root, "node_modules", packageName);
  const manifest = readJson(join(dir, "package.json")) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[command];
  if (!bin) throw new Error(`${packageName} has no ${command} command; is it installed?`);
  return join(dir, bin);
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

function hasSources(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).some(
    (entry) => entry.isFile() && /\.[mc]?ts$/.test(entry.name),
  );
}

function publishablePackages(): PackageDir[] {
  const packagesDir = join(root, "packages");
  const found: PackageDir[] = [];
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    const path = join(packagesDir, entry.name);
    if (!entry.isDirectory() || !existsSync(join(path, "package.json"))) continue;
    const manifest = readJson(join(path, "package.json")) as Manifest;
    if (manifest.private !== true) found.push({ dir: entry.name, path, manifest });
  }
  return found.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

function selectPackages(all: PackageDir[], args: string[]): PackageDir[] {
  if (args.length === 0) return all;
  return args.map((arg) => {
    const name = arg.replace(/\/+$/, "");
    const match = all.find(
      (p) =>
        p.manifest.name === name ||
        p.dir === name ||
        `packages/${p.dir}` === name ||
        p.dir === basename(name),
    );
    if (!match) {
      console.error(
        `check-packages: no publishable package "${arg}"; known: ${all.map((p) => p.dir).join(", ")}`,
      );
      process.exit(2);
    }
    return match;
  });
}

// --- the manifest -------------------------------------------------------------------------------

function checkManifest({ dir, manifest: m }: PackageDir): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const repo = typeof m.repository === "object" ? m.repository : undefined;
  const bugs = typeof m.bugs === "object" ? m.bugs.url : m.bugs;
  const author = typeof m.author === "object" ? m.author.name : m.author;
  expect(!!m.description, "no description");
  expect(m.license === license, `license is ${JSON.stringify(m.license)}, not "${license}"`);
  expect(m.type === "module", `type is ${JSON.stringify(m.type)}, not "module" (the packages are ESM-only)`);
  expect(
    m.engines?.node === nodeRange,
    `engines.node is ${JSON.stringify(m.engines?.node)}, not "${nodeRange}"`,
  );
  expect(
    repo?.type === "git" && repo.url === repositoryUrl && repo.directory === `packages/${dir}`,
    `repository is not {"type":"git","url":"${repositoryUrl}","directory":"packages/${dir}"}`,
  );
  const homepage = `${githubUrl}/tree/main/packages/${dir}#readme`;
  expect(m.homepage === homepage, `homepage is ${JSON.stringify(m.homepage)}, not "${homepage}"`);
  expect(bugs === `${githubUrl}/issues`, `bugs is ${JSON.stringify(bugs)}, not "${githubUrl}/issues"`);
  expect(!!author, "no author");
  expect(
    Array.isArray(m.keywords) && m.keywords.length > 0 && m.keywords.every((k) => typeof k === "string"),
    "no keywords",
  );
  expect(m.publishConfig?.access === "public", 'publishConfig.access is not "public"');
  // npm publish prefers it to --registry, so a registry test could not publish elsewhere.
  expect(
    !Object.keys(m.publishConfig ?? {}).some((key) => key.endsWith("registry")),
    "publishConfig sets a registry, which overrides --registry",
  );
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"] as const) {
    for (const [name, spec] of Object.entries(m[field] ?? {})) {
      const where = `${field}["${name}"] is "${spec}"`;
      if (/^(file|link|workspace|portal|git\+?[a-z]*):/.test(spec))
        problems.push(`${where}: npm cannot publish it`);
      else if (/^[=v]*\d+\.\d+\.\d+([-+].*)?$/.test(spec.trim()))
        problems.push(`${where}: an exact pin, use a ^ range`);
      else if (["", "*", "latest", "x"].includes(spec.trim())) problems.push(`${where}: no version bound`);
    }
  }
  for (const name of Object.keys(m.peerDependenciesMeta ?? {})) {
    expect(name in (m.peerDependencies ?? {}), `peerDependenciesMeta["${name}"] has no peer dependency`);
  }
  for (const name of Object.keys(m.peerDependencies ?? {})) {
    expect(!(name in (m.dependencies ?? {})), `"${name}" is both a dependency and a peer dependency`);
  }
  return problems;
}

// --- the tarball --------------------------------------------------------------------------------

interface PackInfo {
  filename: string;
  size: number;
  files: { path: string }[];
}

/** Every path an `exports` value points at, with where it is, e.g. `exports["./testing"].types`. */
function exportTargets(value: unknown, where: string, out: [string, string][]): [string, string][] {
  if (typeof value === "string") out.push([where, value]);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) exportTargets(item, `${where}[${i}]`, out);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) exportTargets(item, `${where}["${key}"]`, out);
  }
  return out;
}

function isPacked(target: string, files: Set<string>): boolean {
  const path = posix.normalize(target);
  if (!path.includes("*")) return files.has(path);
  const pattern = new RegExp(`^${path.split("*").map(escapeRegExp).join(".+")}$`);
  return [...files].some((file) => pattern.test(file));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function checkTarball({ path: dir, manifest: m }: PackageDir, files: Set<string>): string[] {
  const problems: string[] = [];
  if (![...files].some((file) => /^licen[cs]e(\.[a-z]+)?$/i.test(file))) problems.push("no LICENSE file");
  if (!files.has("README.md")) problems.push("no README.md");

  const targets: [string, string][] = [];
  if (m.exports !== undefined) exportTargets(m.exports, "exports", targets);
  for (const field of ["main", "module", "types"] as const) {
    const value = m[field];
    if (value) targets.push([field, value]);
  }
  if (typeof m.bin === "string") targets.push(["bin", m.bin]);
  else for (const [name, value] of Object.entries(m.bin ?? {})) targets.push([`bin["${name}"]`, value]);
  for (const [where, target] of targets) {
    if (!isPacked(target, files)) problems.push(`${where} is ${target}, which is not in the package`);
  }

  for (const file of files) {
    // Source maps and declaration maps: what they map to must be published, or they point nowhere.
    if (file.endsWith(".map")) {
      let map: { sources?: string[]; sourceRoot?: string };
      try {
        map = readJson(join(dir, file)) as typeof map;
      } catch {
        problems.push(`${file} is not valid JSON`);
        continue;
      }
      for (const source of map.sources ?? []) {
        if (/^[a-z]+:/i.test(source)) continue;
        const resolved = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? "", source));
        if (!files.has(resolved)) problems.push(`${file} maps to ${resolved}, which is not in the package`);
      }
    }
    if (/\.(m|c)?js$|\.d\.(m|c)?ts$/.test(file)) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(dir, file), "utf8"))?.[1];
      if (url && !url.startsWith("data:")) {
        const resolved = posix.normalize(posix.join(posix.dirname(file), url));
        if (!files.has(resolved))
          problems.push(`${file} names source map ${resolved}, which is not in the package`);
      }
    }
    // A published source file should be what a published build came from (src/x.ts -> dist/x.js).
    const source = /^src\/(.+)\.([mc]?)ts$/.exec(file);
    if (source && !/\.d\.[mc]?ts$/.test(file)) {
      const built = `dist/${source[1]}.${source[2]}js`;
      if (!files.has(built)) {
        problems.push(`${file} is published but ${built} is not: leave it out of "files", or build it`);
      }
    }
  }
  return problems;
}

// --- publint and attw ---------------------------------------------------------------------------

async function runPublint(tarball: string, cwd: string): Promise<{ problems: string[]; notes: string[] }> {
  const result = await exec(
    process.execPath,
    [toolBin("publint", "publint"), "run", tarball, "--strict"],
    cwd,
  );
  // Its report: "Suggestions:", "Warnings:" and "Errors:", each followed by numbered messages.
  const problems: string[] = [];
  const notes: string[] = [];
  let section = "";
  for (const line of `${result.stdout}\n${result.stderr}`.split("\n").map((l) => l.trim())) {
    const heading = /^(Suggestions|Warnings|Errors):$/.exec(line);
    const item = /^\d+\.\s+(.*)$/.exec(line);
    if (heading) section = heading[1]!;
    else if (item && section === "Suggestions") notes.push(`publint suggests: ${item[1]}`);
    else if (item) problems.push(`${section === "Errors" ? "error" : "warning"}: ${item[1]}`);
  }
  if (result.code !== 0 && problems.length === 0) {
    problems.push((result.stderr || result.stdout).trim() || `exited with status ${result.code}`);
  }
  return { problems, notes };
}

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

interface AttwOutput {
  analysis: { types: unknown; entrypoints?: Record<string, unknown>; problems?: AttwProblem[] };
}

async function runAttw(tarball: string, cwd: string): Promise<{ problems: string[]; entrypoints: string[] }> {
  const args = [
    toolBin("@arethetypeswrong/cli", "attw"),
    tarball,
    "--profile",
    "esm-only",
    "--format",
    "json",
  ];
  const result = await exec(process.execPath, args, cwd);
  let output: AttwOutput;
  try {
    output = JSON.parse(result.stdout) as AttwOutput;
  } catch {
    return {
      problems: [(result.stderr || result.stdout).trim() || `exited with ${result.code}`],
      entrypoints: [],
    };
  }
  const entrypoints = Object.keys(output.analysis.entrypoints ?? {});
  const problems = (output.analysis.problems ?? [])
    .filter((p) => !p.resolutionKind || !ignoredResolutions.includes(p.resolutionKind))
    .map((p) => `${p.kind} at "${p.entrypoint ?? "?"}"${p.resolutionKind ? ` (${p.resolutionKind})` : ""}`);
  if (result.code !== 0 && problems.length === 0) problems.push(`exited with status ${result.code}`);
  if (!output.analysis.types) entrypoints.push("(no types)");
  return { problems, entrypoints };
}

// --- one package --------------------------------------------------------------------------------

async function checkPackage(pkg: PackageDir, tmp: string): Promise<Report> {
  const report: Report = { pkg, problems: new Map(), notes: [], summary: "" };
  const add = (group: string, problems: string[]) => {
    if (problems.length > 0) report.problems.set(group, problems);
  };
  if (!hasSources(join(pkg.path, "src")) && !existsSync(join(pkg.path, "dist"))) {
    report.skipped = "no sources in src/ and no dist/ yet";
    return report;
  }
  add("manifest", checkManifest(pkg));

  const dest = mkdtempSync(join(tmp, `${pkg.dir}-`));
  const packed = await exec(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", dest],
    pkg.path,
  );
  let info: PackInfo | undefined;
  try {
    info = (JSON.parse(packed.stdout) as PackInfo[])[0];
  } catch {
    // reported below
  }
  if (packed.code !== 0 || !info) {
    add("npm pack", [(packed.stderr || packed.stdout).trim() || `exited with status ${packed.code}`]);
    return report;
  }
  const files = new Set(info.files.map((file) => posix.normalize(file.path)));
  add("tarball", checkTarball(pkg, files));

  const tarball = join(dest, info.filename);
  // A package with only bins (create-plugin) has nothing to import, so nothing for attw to check.
  const m = pkg.manifest;
  const importable = [m.exports, m.main, m.module, m.types].some((field) => field !== undefined);
  const noEntries = { problems: [], entrypoints: ["none (bin only)"] };
  const [lint, types] = await Promise.all([
    runPublint(tarball, pkg.path),
    importable ? runAttw(tarball, pkg.path) : noEntries,
  ]);
  add("publint --strict", lint.problems);
  add("attw --profile esm-only", types.problems);
  report.notes.push(...lint.notes);
  report.summary = `${files.size} files, ${(info.size / 1024).toFixed(1)} kB packed; entry points ${types.entrypoints.join(" ")}`;
  return report;
}

// --- main ---------------------------------------------------------------------------------------

const selected = selectPackages(publishablePackages(), process.argv.slice(2));
const tmp = mkdtempSync(join(tmpdir(), "gfsdk-check-packages-"));
let reports: Report[];
try {
  reports = await Promise.all(selected.map((pkg) => checkPackage(pkg, tmp)));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

console.log(
  `check-packages: npm pack, publint --strict, attw --profile esm-only, manifest and file checks\n`,
);
let failed = 0;
for (const report of reports) {
  const { name, version } = report.pkg.manifest;
  const id = `${name}@${version}`;
  if (report.skipped) {
    console.log(`skip  ${id}: ${report.skipped}`);
    continue;
  }
  if (report.problems.size === 0) {
    console.log(`ok    ${id}: ${report.summary}`);
  } else {
    failed++;
    console.log(`FAIL  ${id}${report.summary ? `: ${report.summary}` : ""}`);
    for (const [group, problems] of report.problems) {
      console.log(`      ${group}:`);
      for (const problem of problems.slice(0, maxLines)) console.log(`        - ${problem}`);
      if (problems.length > maxLines) console.log(`        … and ${problems.length - maxLines} more`);
    }
  }
  for (const note of report.notes) console.log(`      note: ${note}`);
}
const checked = reports.filter((report) => !report.skipped).length;
const skipped = reports.length - checked;
const skippedText = skipped > 0 ? ` (${skipped} skipped)` : "";
console.log(
  failed > 0
    ? `\n${failed} of ${checked} packages have problems${skippedText}.`
    : `\nAll ${checked} packages are ready to publish${skippedText}.`,
);
if (failed > 0) process.exit(1);
