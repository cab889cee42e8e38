import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { fromBinary, isFieldSet } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  type FileDescriptorProto,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const referenceDir = resolve(repoRoot, "../shared/protocol/reference");
/** The upstream proto at SDK v0.296.3 (the last with AdmissionControl and ResourceConversion) and v0.300.0 (the newest). */
const references = {
  "v0.296.3": join(referenceDir, "backend.proto"),
  "v0.300.0": join(referenceDir, "backend-v0.300.0.proto"),
} as const;

/** Lines of {@link facts} that start with one of these prefixes belong to the named service and its messages. */
const admissionAndConversion = [
  "service pluginv2.AdmissionControl",
  "service pluginv2.ResourceConversion",
  "rpc pluginv2.AdmissionControl.",
  "rpc pluginv2.ResourceConversion.",
  ...[
    "GroupVersionKind",
    "AdmissionRequest",
    "ValidationResponse",
    "MutationResponse",
    "GroupVersion",
    "RawObject",
    "ConversionRequest",
    "ConversionResponse",
  ].flatMap((m) => [
    `message pluginv2.${m} `,
    `field pluginv2.${m}.`,
    `enum pluginv2.${m}.`,
    `enum value pluginv2.${m}.`,
    `oneof pluginv2.${m}.`,
  ]),
];

/** The fields v0.300.0 added, which v0.296.3 does not have. */
const addedInV0300 = [
  "field pluginv2.CallResourceResponse.errorSource ",
  "field pluginv2.CheckHealthResponse.errorSource ",
];

/**
 * Every way `proto/` is meant to differ from each reference, by name. `proto/` is v0.300.0 and keeps
 * serving AdmissionControl and ResourceConversion for Grafana versions whose SDK predates v0.300.0.
 */
const intendedDifferences: Record<keyof typeof references, { name: string; onlyOurs: string[] }[]> = {
  "v0.296.3": [{ name: "the errorSource fields added in v0.300.0", onlyOurs: addedInV0300 }],
  "v0.300.0": [
    {
      name: "AdmissionControl and ResourceConversion, kept for hosts before v0.300.0",
      onlyOurs: admissionAndConversion,
    },
  ],
};

/** Compiles one .proto file with buf into its FileDescriptorProto. */
function compile(dir: string, file: string): FileDescriptorProto {
  const out = mkdtempSync(join(tmpdir(), "gfsdk-proto-"));
  try {
    const image = join(out, "image.binpb");
    const buf = join(repoRoot, "node_modules/.bin/buf");
    execFileSync(buf, ["build", dir, "--path", join(dir, file), "-o", image], { stdio: "pipe" });
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(image));
    const found = set.file.find((f) => f.name === file);
    if (!found) throw new Error(`${file} not in the image`);
    return found;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A line per descriptor fact the wire depends on, sorted so the order of declarations does not matter. */
function facts(file: FileDescriptorProto): string[] {
  const out: string[] = [`package ${file.package}`, `syntax ${file.syntax}`];
  const field = (scope: string, f: FieldDescriptorProto) =>
    `field ${scope}.${f.name} = ${f.number} ${FieldDescriptorProto_Label[f.label]} ${FieldDescriptorProto_Type[f.type]} ${f.typeName} json=${f.jsonName} oneof=${isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex) ? f.oneofIndex : "-"} proto3optional=${f.proto3Optional}`;
  const enumFacts = (scope: string, e: EnumDescriptorProto) => {
    out.push(`enum ${scope}.${e.name}`);
    for (const v of e.value) out.push(`enum value ${scope}.${e.name}.${v.name} = ${v.number}`);
  };
  const message = (scope: string, m: DescriptorProto) => {
    const name = `${scope}.${m.name}`;
    out.push(`message ${name} map_entry=${m.options?.mapEntry ?? false}`);
    for (const f of m.field) out.push(field(name, f));
    for (const o of m.oneofDecl) out.push(`oneof ${name}.${o.name}`);
    for (const n of m.nestedType) message(name, n);
    for (const e of m.enumType) enumFacts(name, e);
  };
  for (const m of file.messageType) message(file.package, m);
  for (const e of file.enumType) enumFacts(file.package, e);
  for (const s of file.service) {
    out.push(`service ${file.package}.${s.name}`);
    for (const m of s.method) {
      out.push(
        `rpc ${file.package}.${s.name}.${m.name}(${m.clientStreaming ? "stream " : ""}${m.inputType}) returns (${m.serverStreaming ? "stream " : ""}${m.outputType})`,
      );
    }
  }
  return out.sort();
}

const ours = () => facts(compile(join(repoRoot, "proto"), "pluginv2/backend.proto"));

describe("proto/pluginv2/backend.proto", () => {
  for (const [version, file] of Object.entries(references) as [keyof typeof references, string][]) {
    const present = existsSync(file);
    if (!present) console.warn(`DID NOT RUN: the comparison with ${file}, which is absent`);
    const differences = intendedDifferences[version];
    // Reported as skipped, never as passed.
    it.skipIf(!present)(
      `matches the upstream reference at SDK ${version} but for ${differences.map((d) => d.name).join(", ")}${present ? "" : ` [DID NOT RUN: ${file} is absent]`}`,
      () => {
        const mine = ours();
        const reference = facts(compile(referenceDir, basename(file)));
        expect(mine.length).toBeGreaterThan(200);
        const intended = (line: string) =>
          differences.some((d) => d.onlyOurs.some((prefix) => line.startsWith(prefix)));
        // Nothing of the reference is missing, and everything extra is a named difference.
        expect(reference.filter((line) => !mine.includes(line))).toEqual([]);
        expect(mine.filter((line) => !reference.includes(line) && !intended(line))).toEqual([]);
        // Each named difference is real: every one of its prefixes matches a line only we have.
        for (const d of differences) {
          for (const prefix of d.onlyOurs.filter((p) => !p.startsWith("enum") && !p.startsWith("oneof"))) {
            expect(
              mine.some((line) => line.startsWith(prefix) && !reference.includes(line)),
              `${d.name}: ${prefix}`,
            ).toBe(true);
          }
        }
      },
    );
  }
});
