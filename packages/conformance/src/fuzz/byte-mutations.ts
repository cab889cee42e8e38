import fc from "fast-check";

/** One edit of a byte string; positions are taken modulo the length at the time of the edit. */
export type ByteMutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "splice"; at: number; other: number; otherAt: number };

// Values that make length prefixes, varints, counts and offsets interesting.
const interestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x3f, 0x40, 0x0a, 0x12, 0x22];

const mutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant("set" as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...interestingBytes), fc.integer({ min: 0, max: 255 })),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({
    kind: fc.constant("duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), other: fc.nat(), otherAt: fc.nat() }),
);

/** Applies `mutations` to `seed` in order; `splice` joins the head of the input to the tail of another seed. */
export function applyMutations(
  seed: Uint8Array,
  mutations: readonly ByteMutation[],
  seeds: readonly Uint8Array[],
): Uint8Array {
  let bytes: Uint8Array = Uint8Array.from(seed);
  for (const m of mutations) {
    const n = bytes.length;
    switch (m.kind) {
      case "flip":
        if (n > 0) bytes[m.at % n]! ^= 1 << m.bit;
        break;
      case "set":
        if (n > 0) bytes[m.at % n] = m.value;
        break;
      case "truncate":
        bytes = bytes.slice(0, n === 0 ? 0 : m.at % n);
        break;
      case "insert": {
        const at = m.at % (n + 1);
        bytes = concat(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
        break;
      }
      case "delete": {
        if (n === 0) break;
        const at = m.at % n;
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at + m.length));
        break;
      }
      case "duplicate": {
        if (n === 0) break;
        const at = m.at % n;
        const chunk = bytes.subarray(at, at + m.length);
        bytes = concat(bytes.subarray(0, at + chunk.length), chunk, bytes.subarray(at + chunk.length));
        break;
      }
      case "splice": {
        const other = seeds[m.other % seeds.length]!;
        bytes = concat(bytes.subarray(0, m.at % (n + 1)), other.subarray(m.otherAt % (other.length + 1)));
        break;
      }
    }
  }
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Inputs for a decoder whose valid encodings are `seeds`: a seed as is, a seed with 1–8 mutations
 * (bit flips, byte sets, truncation, insertion, deletion, duplication, splicing with another
 * seed), or arbitrary bytes.
 */
export function mutatedBytes(seeds: readonly Uint8Array[], maxRawLength = 512): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) throw new Error("mutatedBytes needs at least one seed");
  const seedIndex = fc.nat({ max: seeds.length - 1 });
  return fc.oneof(
    { weight: 1, arbitrary: seedIndex.map((i) => seeds[i]!) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(seedIndex, fc.array(mutation, { minLength: 1, maxLength: 8 }))
        .map(([i, mutations]) => applyMutations(seeds[i]!, mutations, seeds)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: maxRawLength }) },
  );
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** As {@link mutatedBytes}, for text decoders: the mutated UTF-8 read back as a string (invalid sequences become U+FFFD). */
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
  return mutatedBytes(seeds.map((s) => encoder.encode(s))).map((bytes) => decoder.decode(bytes));
}
