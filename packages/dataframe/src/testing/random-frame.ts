import { createField } from "../create-field.js";
import type { Field, Labels } from "../field.js";
import type { FieldConfig } from "../field-config.js";
import { FIELD_TYPES, type FieldType } from "../field-type.js";
import { Frame } from "../frame.js";
import type { FrameMeta } from "../frame-meta.js";

/** Options of {@link createRandomFrame}. Everything not set is drawn from the seeded generator. */
export interface RandomFrameOptions {
  /** Number of rows; default random 0–12 (0 about one time in ten). */
  rows?: number;
  /** Number of fields; default random 1–20 (ignored below the count `coverAllTypes` needs). */
  fields?: number;
  /** Types to draw from; default all of {@link FIELD_TYPES}. */
  types?: readonly FieldType[];
  /** Include every type in `types` at least once, both plain and nullable. Default false. */
  coverAllTypes?: boolean;
  /** Probability that a field is nullable; default 0.5. */
  nullableRatio?: number;
  /** Probability that a row of a nullable field is null; default 0.25. */
  nullRatio?: number;
  /** Probability of labels / config per field and of meta per frame; default 0.3. */
  extrasRatio?: number;
}

/** Small, fast seeded PRNG (mulberry32); returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Draw {
  readonly next: () => number;

  constructor(next: () => number) {
    this.next = next;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  uint32(): number {
    return Math.floor(this.next() * 4294967296);
  }
  uint64(): bigint {
    return (BigInt(this.uint32()) << 32n) | BigInt(this.uint32());
  }
}

const STRINGS = [
  "",
  "Grafana",
  "❤️",
  "🦥",
  "Grafana ❤️ (heart) 🦥 (sloth)",
  "update your unicode/font if no sloth, is 2019.",
  'quote " backslash \\ slash /',
  "line\nbreak\ttab",
  "ünïcödé ÆØÅ 日本語 עברית",
  "<html> & 'amp'",
  "\u0000\u0001\u001f",
  "👩‍👩‍👧‍👦 family",
];

const INT64_EXTREMES = [
  -(2n ** 63n),
  2n ** 63n - 1n,
  -(2n ** 53n) + 1n,
  2n ** 53n - 1n,
  2n ** 53n + 1n,
  0n,
  -1n,
  1n,
];
const UINT64_EXTREMES = [0n, 1n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 53n - 1n, 2n ** 53n + 1n];
const FLOAT64_SPECIALS = [
  Number.NaN,
  Infinity,
  -Infinity,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  0,
  9007199254740991,
  -9007199254740991,
  0.1,
  1e21,
  1e-7,
];
const FLOAT32_SPECIALS = [
  Number.NaN,
  Infinity,
  -Infinity,
  3.4028234663852886e38,
  1.401298464324817e-45,
  0,
  0.1,
  -1.5,
];
// The earliest time is MinInt64 + 1 ms: the Go SDK decodes the first JSON column as ms * 1e6 in int64,
// which overflows for the floored millisecond of MinInt64 itself.
const TIME_EXTREMES = [
  -(2n ** 63n) + 1_000_000n,
  2n ** 63n - 1n,
  0n,
  -1n,
  1n,
  1568039445000000000n,
  1568039450000000001n,
];
const INT_RANGES: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

function randomValue(draw: Draw, type: FieldType, enumSize: number): unknown {
  switch (type) {
    case "int8":
    case "int16":
    case "int32":
    case "uint8":
    case "uint16":
    case "uint32": {
      const [min, max] = INT_RANGES[type]!;
      return draw.chance(0.3) ? draw.pick([min, max, 0]) : draw.int(min, max);
    }
    case "int64":
      return draw.chance(0.4) ? draw.pick(INT64_EXTREMES) : BigInt.asIntN(64, draw.uint64());
    case "uint64":
      return draw.chance(0.4) ? draw.pick(UINT64_EXTREMES) : draw.uint64();
    case "float32":
      return draw.chance(0.4)
        ? draw.pick(FLOAT32_SPECIALS)
        : Math.fround((draw.next() - 0.5) * 10 ** draw.int(-10, 30));
    case "float64":
      return draw.chance(0.4) ? draw.pick(FLOAT64_SPECIALS) : (draw.next() - 0.5) * 10 ** draw.int(-300, 300);
    case "string":
      return draw.chance(0.6)
        ? draw.pick(STRINGS)
        : `s${draw.uint32().toString(36)}${draw.chance(0.3) ? "🦥" : ""}`;
    case "bool":
      return draw.chance(0.5);
    case "time":
      if (draw.chance(0.2)) return draw.pick(TIME_EXTREMES);
      // Around 1900–2100 with random sub-millisecond digits.
      return BigInt(draw.int(-2208988800, 4102444800)) * 1_000_000_000n + BigInt(draw.int(0, 999_999_999));
    case "json":
      return randomJSON(draw, 2);
    case "enum":
      return draw.int(0, enumSize - 1);
  }
}

function randomJSON(draw: Draw, depth: number): unknown {
  const kind = draw.int(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return draw.chance(0.5);
    case 2:
      return draw.chance(0.2)
        ? draw.pick([2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n])
        : draw.int(-1e6, 1e6);
    case 3:
      return draw.next() * 1000;
    case 4:
      return draw.pick(STRINGS);
    case 5:
    case 6: {
      const out: Record<string, unknown> = {};
      for (let i = draw.int(0, 3); i > 0; i--)
        out[draw.pick(["a", "b", "🦥", "nested key", "c"])] = randomJSON(draw, depth - 1);
      return out;
    }
    default:
      return Array.from({ length: draw.int(0, 3) }, () => randomJSON(draw, depth - 1));
  }
}

function randomLabels(draw: Draw): Labels {
  const labels: Labels = {};
  for (let i = draw.int(0, 3); i > 0; i--)
    labels[draw.pick(["host", "job", "🦥", "region", "le"])] = draw.pick(STRINGS);
  return labels;
}

function randomConfig(draw: Draw, type: FieldType, enumSize: number): FieldConfig {
  const config: FieldConfig = {};
  if (draw.chance(0.5)) config.displayName = draw.pick(STRINGS);
  if (draw.chance(0.3)) config.unit = draw.pick(["ms", "bytes", "percent", "😤"]);
  if (draw.chance(0.3)) config.decimals = draw.int(0, 5);
  if (draw.chance(0.3)) config.min = draw.pick([0, -1.5, null]);
  if (draw.chance(0.3)) config.max = draw.pick([1, 100, null]);
  if (draw.chance(0.2)) config.interval = draw.pick([1000, 60000]);
  if (draw.chance(0.2)) config.filterable = draw.chance(0.5);
  if (draw.chance(0.2)) config.noValue = draw.pick(STRINGS);
  if (draw.chance(0.2))
    config.links = [{ title: "Donate 🦥", targetBlank: true, url: "https://example.com/?a=1&b=2" }];
  if (draw.chance(0.2)) config.custom = { width: draw.int(50, 300), nested: { on: draw.chance(0.5) } };
  if (type === "enum") {
    config.type = {
      enum: {
        text: Array.from({ length: enumSize }, (_, i) => (i === 0 ? "" : `VALUE_${i} ${draw.pick(STRINGS)}`)),
      },
    };
  }
  return config;
}

function randomMeta(draw: Draw): FrameMeta {
  const meta: FrameMeta = {};
  if (draw.chance(0.5))
    meta.type = draw.pick(["timeseries-wide", "timeseries-long", "table", "numeric-multi"]);
  if (draw.chance(0.5)) meta.typeVersion = [0, draw.int(0, 2)];
  if (draw.chance(0.3)) meta.path = "/a/b";
  if (draw.chance(0.5)) meta.custom = { Hi: "there", n: draw.int(0, 100), emoji: "🦥" };
  if (draw.chance(0.4)) meta.stats = [{ displayName: "sample", value: draw.next() * 10 }];
  if (draw.chance(0.4))
    meta.notices = [{ severity: draw.pick(["info", "warning", "error"] as const), text: "look ❤️" }];
  if (draw.chance(0.3)) meta.channel = "sample/channel/name";
  if (draw.chance(0.3)) meta.preferredVisualisationType = draw.pick(["graph", "table", "logs"]);
  if (draw.chance(0.3)) meta.executedQueryString = "SELECT * FROM table WHERE a < 1";
  if (draw.chance(0.2)) meta.uniqueRowIdFields = [0];
  return meta;
}

/**
 * **Testing utility.** Builds a deterministic pseudo-random frame: the same `seed` and options always
 * give the same frame. Fields are drawn from every type, with nullable twins holding nulls, NaN and
 * ±Infinity, emoji and escape-heavy strings, extreme int64/uint64 values, extreme and sub-millisecond
 * times, nested JSON (with exact big integers), enums with value names, and sometimes labels,
 * config and frame meta. Meant for round-trip and cross-language (Go) tests.
 */
export function createRandomFrame(seed: number, options: RandomFrameOptions = {}): Frame {
  const draw = new Draw(mulberry32(seed));
  const types = options.types ?? FIELD_TYPES;
  if (types.length === 0) throw new RangeError("options.types must not be empty");
  const rows = options.rows ?? (draw.chance(0.1) ? 0 : draw.int(1, 12));
  const nullableRatio = options.nullableRatio ?? 0.5;
  const nullRatio = options.nullRatio ?? 0.25;
  const extras = options.extrasRatio ?? 0.3;
  const plan: Array<{ type: FieldType; nullable: boolean }> = [];
  if (options.coverAllTypes === true) {
    for (const type of types) plan.push({ type, nullable: false }, { type, nullable: true });
  }
  const count = Math.max(options.fields ?? draw.int(1, 20), plan.length);
  while (plan.length < count) plan.push({ type: draw.pick(types), nullable: draw.chance(nullableRatio) });

  const fields: Field[] = plan.map(({ type, nullable }, index) => {
    const enumSize = draw.int(1, 5);
    const values = Array.from({ length: rows }, () =>
      nullable && draw.chance(nullRatio) ? null : randomValue(draw, type, enumSize),
    );
    const name = draw.chance(0.1)
      ? draw.pick(["", "🦥 sloth", "duplicate"])
      : `${nullable ? "nullable_" : ""}${type}_${index}`;
    const labels = draw.chance(extras) ? randomLabels(draw) : undefined;
    const config = draw.chance(extras) || type === "enum" ? randomConfig(draw, type, enumSize) : undefined;
    return createField(name, type, values, { nullable, labels, config });
  });
  const name = draw.pick(["", "many_types", "random 🦥", `frame_${seed}`]);
  const refId = draw.pick([undefined, "A", "B", "query-1"]);
  const meta = draw.chance(extras) ? randomMeta(draw) : undefined;
  return new Frame({
    name,
    ...(refId === undefined ? {} : { refId }),
    ...(meta === undefined ? {} : { meta }),
    fields,
  });
}
