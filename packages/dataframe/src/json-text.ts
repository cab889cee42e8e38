// JSON text helpers that keep 64-bit integers exact: integer literals beyond ±2^53 parse to bigint
// and bigint values serialise as plain JSON numbers (the Go SDK writes int64/uint64 as JSON numbers).

type RawJSON = (text: string) => unknown;

const rawJSON = (JSON as unknown as { rawJSON?: RawJSON }).rawJSON;
// Cheap pre-test: an integer literal of 16+ digits standing alone between JSON delimiters. Texts
// without one parse with plain JSON.parse. (A JSON.parse reviver would be simpler but is ~20x slower.)
const LONG_INTEGER = /(?:^|[[,:\s])-?\d{16,}(?=[\s,\]}]|$)/;
// Big integer literals are swapped for marker strings before parsing, then revived as bigint.
const MARKER = "\u0000gfsdk:bigint:";
// The same marker as it must appear inside JSON text (control characters must be escaped there).
const MARKER_JSON = "\\u0000gfsdk:bigint:";

/**
 * Parses JSON text; integer literals beyond ±2^53 become exact bigint values, everything else is as
 * JSON.parse returns it. Throws a SyntaxError for invalid JSON.
 */
export function parseJSONExact(text: string): unknown {
  if (!LONG_INTEGER.test(text)) return JSON.parse(text);
  const marked = markBigIntegers(text);
  return marked === text ? JSON.parse(text) : revive(JSON.parse(marked));
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Replaces unsafe integer literals outside strings by marker strings; returns `text` if none. */
function markBigIntegers(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = endOfString(text, i);
      continue;
    }
    if (c !== 45 && !isDigit(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 45) i++;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    const digitsEnd = i;
    let integer = true;
    for (
      let d = text.charCodeAt(i);
      i < n && (isDigit(d) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45);
    ) {
      integer = false;
      d = text.charCodeAt(++i);
    }
    if (integer && digitsEnd - start >= 16) {
      const literal = text.slice(start, digitsEnd);
      if (!Number.isSafeInteger(Number(literal))) {
        parts.push(text.slice(copied, start), `"${MARKER_JSON}${literal}"`);
        copied = digitsEnd;
      }
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join("");
}

/** Index just past the string literal that opens at `open` (or the text length if unterminated). */
function endOfString(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    close = text.indexOf('"', close + 1);
  }
  return text.length;
}

function revive(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith(MARKER) ? BigInt(value.slice(MARKER.length)) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "string" || (typeof item === "object" && item !== null)) value[i] = revive(item);
    }
    return value;
  }
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = revive(record[key]);
  }
  return value;
}

function replaceBigInt(_key: string, value: unknown): unknown {
  if (typeof value !== "bigint") return value;
  return rawJSON === undefined ? Number(value) : rawJSON(value.toString());
}

/** JSON.stringify that writes bigint values as exact JSON numbers; undefined becomes `null`. */
export function stringifyJSON(value: unknown): string {
  return JSON.stringify(value, replaceBigInt) ?? "null";
}
