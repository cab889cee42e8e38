import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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
const referenceFile = join(referenceDir, "backend.proto");
const haveReference = existsSync(referenceFile);

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

if (!haveReference) {
  // Reported as skipped, never as passed.
  console.warn(`DID NOT RUN: the comparison with ${referenceFile}, which is absent`);
}

describe("proto/pluginv2/backend.proto", () => {
  it.skipIf(!haveReference)(
    `has the same services, methods, messages, fields and enums as the upstream reference${haveReference ? "" : ` [DID NOT RUN: ${referenceFile} is absent]`}`,
    () => {
      const ours = facts(compile(join(repoRoot, "proto"), "pluginv2/backend.proto"));
      const reference = facts(compile(referenceDir, "backend.proto"));
      expect(ours.length).toBeGreaterThan(200);
      expect(ours).toEqual(reference);
    },
  );
});
