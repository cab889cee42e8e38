import type { LogAttributes } from "./logger.js";

/** The gRPC metadata key of Grafana's contextual log attributes (lower-cased, as metadata keys are). */
export const contextualLogAttributesKey = "loggerparamsctxmetadata";

/**
 * The log attributes Grafana sends in `loggerParamsCtxMetadata` metadata, each value `key:::value`
 * (the Go SDK's `ContextualAttributesFromIncomingContext`); values that do not split into a
 * non-empty key and value are skipped. Repeated metadata values arrive joined by `", "` in web
 * `Headers`: a part without `:::` belongs to the value before it.
 */
export function contextualLogAttributes(requestHeader: Headers): LogAttributes {
  const joined = requestHeader.get(contextualLogAttributesKey);
  if (!joined) return {};
  const attributes: LogAttributes = {};
  for (const param of joined.split(/, (?=[^,]*:::)/)) {
    const kv = param.split(":::");
    if (kv.length !== 2 || kv[0] === "" || kv[1] === "") continue;
    attributes[kv[0]!] = kv[1];
  }
  return attributes;
}
