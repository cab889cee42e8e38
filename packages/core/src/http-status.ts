/**
 * Whether `value` can be the HTTP status of a query answer: an integer from 100 to 599. Anything
 * else (404.5, NaN, 2^31) cannot be written to the response's int32 field, or means nothing to
 * Grafana.
 */
export function isHttpStatus(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 100 && value <= 599;
}
