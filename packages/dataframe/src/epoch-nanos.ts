// Conversions between epoch milliseconds, Date and epoch nanoseconds. The array helpers work on the
// 32-bit halves of each int64 so that million-row columns convert without allocating a bigint per row.

const TWO_32 = 4294967296;
const TWO_21 = 2097152;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// Beyond this many ms, ms * 1e6 leaves the int64 range.
const MAX_SAFE_MS = 9223372036854;

/** True on little-endian hosts, where an int64's low half comes first in memory. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Converts a time value to epoch nanoseconds: a `Date` or a number (epoch milliseconds, fractions
 * keep sub-millisecond precision) or a bigint (already epoch nanoseconds). Throws a RangeError for
 * invalid dates, non-finite numbers and values outside the int64 nanosecond range (years ~1677–2262).
 */
export function toEpochNanos(value: Date | number | bigint): bigint {
  if (typeof value === "bigint") {
    if (value < INT64_MIN || value > INT64_MAX)
      throw new RangeError(`time ${value}ns is outside the int64 range`);
    return value;
  }
  const ms = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(ms)) throw new RangeError(`time ${String(value)} is not a valid date`);
  if (Math.abs(ms) > MAX_SAFE_MS + 1)
    throw new RangeError(`time ${ms}ms is outside the int64 nanosecond range`);
  const whole = Math.floor(ms);
  const ns = BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
  if (ns < INT64_MIN || ns > INT64_MAX)
    throw new RangeError(`time ${ms}ms is outside the int64 nanosecond range`);
  return ns;
}

/** Converts epoch nanoseconds to a Date (millisecond precision; sub-millisecond digits are dropped). */
export function nanosToDate(ns: bigint): Date {
  return new Date(Number(floorDiv(ns, 1_000_000n)));
}

/** Floor division for bigint (bigint `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * Writes `ms * 1e6 + subNanos` as an int64 into `halves` (an Int32Array view over a BigInt64Array)
 * at row `row`. `ms` must be an integer with |ms| ≤ 9223372036854 and 0 ≤ subNanos < 1e6.
 * Returns false when the result would overflow int64, leaving the slot unspecified.
 */
export function writeMillisAsNanos(halves: Int32Array, row: number, ms: number, subNanos: number): boolean {
  if (!LITTLE_ENDIAN) return false;
  // ms = a * 2^21 + b splits the product into two exact partial products below 2^53.
  const a = Math.floor(ms / TWO_21);
  const b = ms - a * TWO_21;
  const x = a * 1e6;
  const y = b * 1e6 + subNanos;
  // x mod 2^11 with integer operations: |a| < 2^22 and 1e6 mod 2048 = 576.
  const xLow = ((a & 2047) * 576) & 2047;
  const xHigh = (x - xLow) / 2048;
  const low = xLow * TWO_21 + y;
  const carry = Math.floor(low / TWO_32);
  const high = xHigh + carry;
  if (high > 2147483647 || high < -2147483648) return false;
  halves[2 * row] = low - carry * TWO_32;
  halves[2 * row + 1] = high;
  return true;
}

/**
 * Splits the int64 nanoseconds at `row` into epoch milliseconds (floored) and the 0–999999
 * nanosecond remainder, writing them to `out`. `halves` is {@link int32Halves} of `values`.
 */
export function readNanosAsMillis(
  values: BigInt64Array,
  halves: Int32Array,
  row: number,
  out: { ms: number; nanos: number },
): void {
  if (!LITTLE_ENDIAN) {
    const ns = values[row]!;
    const ms = floorDiv(ns, 1_000_000n);
    out.ms = Number(ms);
    out.nanos = Number(ns - ms * 1_000_000n);
    return;
  }
  const high = halves[2 * row + 1]!;
  const low = halves[2 * row]! >>> 0;
  // high * 2^32 = high * 4294 * 1e6 + high * 967296, so the remainder stays exact below 2^53.
  const rest = high * 967296 + low;
  const q = Math.floor(rest / 1e6);
  out.ms = high * 4294 + q;
  out.nanos = rest - q * 1e6;
}

/** An Int32Array over the same memory as a 64-bit typed array. */
export function int32Halves(values: BigInt64Array | BigUint64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}
