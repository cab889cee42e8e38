const encoder = new TextEncoder();

/** A request payload in plain values: a string (sent as UTF-8), bytes (as they are), or a JSON value. */
export type Payload = string | Uint8Array | object | number | boolean | null;

/** The bytes of a {@link Payload}; `undefined` gives empty bytes, as Grafana sends for no data. */
export function payloadBytes(value: Payload | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array();
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  return encoder.encode(JSON.stringify(value));
}
