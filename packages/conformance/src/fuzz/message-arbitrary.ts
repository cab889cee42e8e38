import { create, type DescField, type DescMessage, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import fc from "fast-check";

const encoder = new TextEncoder();

/** Strings that hit parsers in interesting ways: paths, percent-encoding, NUL, JSON, long text. */
const trickyStrings = [
  "",
  "..",
  "../../etc/passwd",
  "/echo",
  "echo",
  "stream?chunks=3",
  "%2e%2e/%00",
  "random/walk",
  "a\u0000b",
  "\uD800",
  "{}",
  "null",
  "random_walk",
  "all_types",
  "rows",
  "error",
  "__proto__",
  "constructor",
  "x".repeat(300),
];

const anyString = fc.oneof(fc.constantFrom(...trickyStrings), fc.string({ unit: "binary", maxLength: 40 }));

/** Bytes for a `bytes` field: JSON text (most of them are JSON in pluginv2) or arbitrary bytes. */
const anyBytes = fc.oneof(
  { weight: 3, arbitrary: fc.json({ maxDepth: 3 }).map((text) => encoder.encode(text)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...["null", "[]", "1", '"s"', "{", "{}"].map((t) => encoder.encode(t))),
  },
);

function scalar(type: ScalarType): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fc.double();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.STRING:
      return anyString;
    case ScalarType.BYTES:
      return anyBytes;
  }
}

// Enum values, known or not: protobuf keeps unknown enum numbers, and handlers must cope.
const anyEnum = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));

function fieldValue(field: DescField, depth: number): fc.Arbitrary<unknown> | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return scalar(field.scalar);
    case "enum":
      return anyEnum;
    case "message":
      return depth <= 0 ? undefined : messageInit(field.message, depth - 1);
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalar(field.scalar)
          : field.listKind === "enum"
            ? anyEnum
            : depth <= 0
              ? undefined
              : messageInit(field.message, depth - 1);
      return item && fc.array(item, { maxLength: 3 });
    }
    case "map": {
      const value =
        field.mapKind === "scalar"
          ? scalar(field.scalar)
          : field.mapKind === "enum"
            ? anyEnum
            : depth <= 0
              ? undefined
              : messageInit(field.message, depth - 1);
      if (!value) return undefined;
      const key = field.mapKey === ScalarType.STRING ? anyString : scalar(field.mapKey);
      return fc
        .array(fc.tuple(key, value), { maxLength: 3 })
        .map((entries) => Object.fromEntries(entries.map(([k, v]) => [String(k), v])));
    }
  }
}

function messageInit(desc: DescMessage, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of desc.fields) {
    const value = fieldValue(field, depth);
    if (value) model[field.localName] = value;
  }
  return fc.record(model, { requiredKeys: [] });
}

/**
 * Well-formed messages of `desc` with arbitrary content: every field may be set, to any value of
 * its type (strings with paths, NUL and lone surrogates; bytes that are JSON or not; unknown enum
 * numbers; int64 extremes), messages nested up to `depth` levels.
 */
export function arbitraryMessage<Desc extends DescMessage>(
  desc: Desc,
  depth = 3,
): fc.Arbitrary<MessageShape<Desc>> {
  return messageInit(desc, depth).map((init) => create(desc, init as never));
}
