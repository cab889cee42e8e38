import type { ErrorSource } from "./plugin-error.js";

/**
 * The statuses the Go SDK (`experimental/status.SourceFromHTTPStatus`, also
 * `backend.ErrorSourceFromHTTPStatus`) blames on the plugin: each says the request the plugin made
 * or answered was wrong in a way only the plugin can fix (a method, a header, a size, a feature it
 * does not have), not that the downstream system failed.
 */
const pluginStatuses: ReadonlySet<number> = new Set([
  405, // Method Not Allowed
  406, // Not Acceptable
  412, // Precondition Failed
  413, // Content Too Large
  414, // URI Too Long
  416, // Range Not Satisfiable
  417, // Expectation Failed
  426, // Upgrade Required
  431, // Request Header Fields Too Large
  501, // Not Implemented
]);

/**
 * Who an HTTP status blames, as the Go SDK's `ErrorSourceFromHTTPStatus` decides (brief 9.3):
 * `"plugin"` for 405, 406, 412, 413, 414, 416, 417, 426, 431 and 501; `"downstream"` for every other
 * status. Like Go it answers `"downstream"` for 1xx, 2xx and 3xx too (Go has no "no error" source):
 * callers ask only about statuses that are errors (>= 400).
 */
export function errorSourceFromHttpStatus(status: number): ErrorSource {
  return pluginStatuses.has(status) ? "plugin" : "downstream";
}
