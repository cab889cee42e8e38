/** How a frame is put on the wire: one Arrow IPC file, or Grafana frame JSON. */
export type FrameFormat = "arrow" | "json";

/** Which parts of a frame JSON to write: both, the data only (later stream chunks), or the schema only. */
export type FrameInclude = "all" | "data" | "schema";

/** Options of {@link EncodableFrame.encode}. */
export interface FrameEncodeOptions {
  /** Written as the frame's refId when the frame has none of its own. */
  refId?: string;
  /** Parts of frame JSON to write. Default `"all"`. Arrow always writes the whole frame. */
  include?: FrameInclude;
}

/**
 * A data frame that core can put in a response. `Frame` of `@gfsdk/dataframe` is one; core only
 * needs this method, so it stays free of Arrow.
 */
export interface EncodableFrame {
  /** The query this frame answers. Core fills it from the query when empty. */
  refId?: string | undefined;
  /** The frame's name; QueryChunkedData uses it as the frameId of frames a query handler yields. */
  name?: string | undefined;
  /** The frame as one Arrow IPC file or as frame JSON (UTF-8). */
  encode(format: FrameFormat, options?: FrameEncodeOptions): Uint8Array;
  /**
   * A new frame with this frame's schema and the rows of this frame followed by those of `others`
   * (each of the same schema). Core uses it to answer QueryData from chunks of one frameId; a
   * frame without it cannot be sent in more than one chunk there.
   */
  concatRows?(others: readonly EncodableFrame[]): EncodableFrame;
}

/** A frame, or bytes already encoded in the response's format. */
export type FrameLike = EncodableFrame | Uint8Array;

/** Encodes a frame for a response, passing pre-encoded bytes through. @private Internal code. */
export function encodeFrame(frame: FrameLike, format: FrameFormat, options?: FrameEncodeOptions): Uint8Array {
  if (frame instanceof Uint8Array) return frame;
  if (frame === null || typeof frame !== "object" || typeof frame.encode !== "function") {
    throw new TypeError("a frame must be a Frame (with an encode method) or a Uint8Array of encoded bytes");
  }
  try {
    return frame.encode(format, options);
  } catch (error) {
    throw tooLargeError(error, frame, format) ?? error;
  }
}

// The RangeErrors of a frame too large to encode: V8's string limit (frame JSON is built as one
// string), an allocation that failed, the Arrow Utf8 2 GiB limit.
const tooLargeMessage =
  /Invalid string length|Array buffer allocation failed|Invalid typed array length|exceeds 2 GiB/;

/** A clear error for a frame too large to encode as `format`, or undefined for any other error. */
function tooLargeError(error: unknown, frame: EncodableFrame, format: FrameFormat): Error | undefined {
  if (!(error instanceof RangeError) || !tooLargeMessage.test(error.message)) return undefined;
  const name = (frame as { name?: unknown }).name;
  const which = typeof name === "string" && name !== "" ? `the frame "${name}"` : "a frame";
  const hint =
    format === "json"
      ? "frame JSON is built as one string, and a JavaScript string holds at most 512 MiB; return Arrow or smaller frames"
      : "return smaller frames, or split the rows across several";
  return new RangeError(
    `${which} is too large to encode as ${format === "json" ? "frame JSON" : "Arrow"} (${error.message}): ${hint}`,
    {
      cause: error,
    },
  );
}
