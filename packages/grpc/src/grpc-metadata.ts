import { Metadata } from "@grpc/grpc-js";

// gRPC and HTTP/2 own these; letting handler headers set them would corrupt the response.
const reserved = new Set([
  "content-type",
  "te",
  "grpc-status",
  "grpc-message",
  "grpc-status-details-bin",
  "grpc-timeout",
  "grpc-encoding",
  "grpc-accept-encoding",
]);

/**
 * gRPC metadata as web `Headers`, for a Connect `HandlerContext`. Binary (`-bin`) values become
 * unpadded base64, as they travel on the wire.
 */
export function metadataToHeaders(metadata: Metadata): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(metadata.toJSON())) {
    for (const value of values) {
      const text =
        typeof value === "string" ? value : Buffer.from(value).toString("base64").replace(/=+$/, "");
      try {
        headers.append(key, text);
      } catch {
        // A value the Headers class rejects is not worth failing the call for.
      }
    }
  }
  return headers;
}

/** Web `Headers` as gRPC metadata, skipping the keys gRPC itself owns; `-bin` values are base64 decoded. */
export function headersToMetadata(headers: Headers): Metadata {
  const metadata = new Metadata();
  headers.forEach((value, key) => {
    if (reserved.has(key) || key.startsWith(":")) return;
    if (key.endsWith("-bin")) metadata.add(key, Buffer.from(value, "base64"));
    else metadata.add(key, value);
  });
  return metadata;
}
