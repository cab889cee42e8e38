/**
 * Thrown by the decoders (`frameFromArrow`, `frameFromJSON`) when the input is not a valid frame:
 * garbage, truncated bytes, the Arrow stream format instead of the file format, unsupported Arrow
 * types, malformed metadata or frame JSON. The underlying error, if any, is kept as `cause`.
 */
export class FrameDecodeError extends Error {
  override readonly name = "FrameDecodeError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
