// UTF-8 packing of string columns into Arrow's offsets + bytes layout and back. A hand-written
// encoder beats TextEncoder.encodeInto per row by several times for the short strings typical of
// frames, and decoding a whole column at once then slicing is much cheaper than per-row decoding.

/** An Arrow variable-length column: `offsets[i]..offsets[i+1]` are the bytes of row i. */
export interface Utf8Column {
  offsets: Int32Array;
  data: Uint8Array;
}

const MAX_BYTES = 2147483647;

/**
 * Packs strings into offsets and UTF-8 bytes. Rows whose validity byte is 0 are written empty.
 * Lone surrogates become U+FFFD, as TextEncoder does. `onInvalid` is called for non-string rows.
 */
export function encodeUtf8Column(
  strings: ArrayLike<unknown>,
  validity: Uint8Array | undefined,
  onInvalid: (row: number, value: unknown) => never,
): Utf8Column {
  const length = strings.length;
  const offsets = new Int32Array(length + 1);
  let total = 0;
  for (let i = 0; i < length; i++) {
    const s = strings[i];
    if (typeof s === "string") total += s.length;
  }
  // Each character is at least one byte: past the limit already, fail before allocating 2 GiB.
  if (total > MAX_BYTES) throw new RangeError("string column exceeds 2 GiB, the Arrow Utf8 limit");
  let cap = Math.min(total + 16, MAX_BYTES);
  let buf = new Uint8Array(cap);
  let pos = 0;
  const grow = (needed: number): void => {
    if (needed > MAX_BYTES) throw new RangeError("string column exceeds 2 GiB, the Arrow Utf8 limit");
    cap = Math.min(Math.max(cap * 2, needed), MAX_BYTES);
    const next = new Uint8Array(cap);
    next.set(buf.subarray(0, pos));
    buf = next;
  };
  for (let i = 0; i < length; i++) {
    if (validity !== undefined && validity[i] === 0) {
      offsets[i + 1] = pos;
      continue;
    }
    const s = strings[i];
    if (typeof s !== "string") onInvalid(i, s);
    const len = s.length;
    if (pos + len > cap) grow(pos + len);
    let j = 0;
    for (; j < len; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x80) break;
      buf[pos++] = c;
    }
    if (j < len) {
      if (pos + (len - j) * 3 > cap) grow(pos + (len - j) * 3);
      for (; j < len; j++) {
        let c = s.charCodeAt(j);
        if (c < 0x80) {
          buf[pos++] = c;
        } else if (c < 0x800) {
          buf[pos++] = 0xc0 | (c >> 6);
          buf[pos++] = 0x80 | (c & 0x3f);
        } else if (c >= 0xd800 && c < 0xdc00 && j + 1 < len && (s.charCodeAt(j + 1) & 0xfc00) === 0xdc00) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++j) - 0xdc00);
          buf[pos++] = 0xf0 | (cp >> 18);
          buf[pos++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[pos++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[pos++] = 0x80 | (cp & 0x3f);
        } else {
          if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
          buf[pos++] = 0xe0 | (c >> 12);
          buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
          buf[pos++] = 0x80 | (c & 0x3f);
        }
      }
    }
    offsets[i + 1] = pos;
  }
  return { offsets, data: buf.subarray(0, pos) };
}

// ignoreBOM: a leading U+FEFF is part of the row, not a byte order mark to drop.
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
// For the whole column: fatal, so that byte offsets can be mapped to string offsets (valid UTF-8
// only), and keeping a leading U+FEFF, which belongs to the first row.
const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Unpacks rows `first`..`first + length - 1` of an Arrow offsets + bytes column into strings.
 * Throws a RangeError when offsets decrease or point outside `data`.
 */
export function decodeUtf8Column(
  data: Uint8Array,
  offsets: Int32Array,
  first: number,
  length: number,
): string[] {
  const out = new Array<string>(length);
  if (length === 0) return out;
  if (first + length >= offsets.length) throw new RangeError("offsets buffer is shorter than the column");
  const start = offsets[first]!;
  const end = offsets[first + length]!;
  if (start < 0 || end > data.length || end < start)
    throw new RangeError("string offsets point outside the data buffer");
  for (let i = 0; i < length; i++) {
    if (offsets[first + i + 1]! < offsets[first + i]!)
      throw new RangeError("string offsets are not monotonic");
  }
  let whole: string;
  try {
    whole = strictDecoder.decode(data.subarray(start, end));
  } catch {
    // Invalid UTF-8: decode row by row, each invalid sequence becoming U+FFFD.
    for (let i = 0; i < length; i++)
      out[i] = decoder.decode(data.subarray(offsets[first + i]!, offsets[first + i + 1]!));
    return out;
  }
  // Equal lengths mean every byte became one UTF-16 unit, so byte offsets are string offsets.
  if (whole.length === end - start) {
    for (let i = 0; i < length; i++)
      out[i] = whole.substring(offsets[first + i]! - start, offsets[first + i + 1]! - start);
    return out;
  }
  // Otherwise walk the bytes once: every byte that does not continue a sequence starts one UTF-16
  // unit, or two for a 4-byte sequence. A row boundary inside a sequence would break this mapping,
  // so such columns (valid UTF-8 as a whole, not per row) fall back to decoding row by row.
  let unit = 0;
  let byte = start;
  for (let i = 0; i < length; i++) {
    const stop = offsets[first + i + 1]!;
    if (stop < end && (data[stop]! & 0xc0) === 0x80) {
      for (let j = i; j < length; j++)
        out[j] = decoder.decode(data.subarray(offsets[first + j]!, offsets[first + j + 1]!));
      return out;
    }
    const from = unit;
    for (; byte < stop; byte++) {
      const b = data[byte]!;
      if ((b & 0xc0) !== 0x80) unit += b >= 0xf0 ? 2 : 1;
    }
    out[i] = whole.substring(from, unit);
  }
  return out;
}
