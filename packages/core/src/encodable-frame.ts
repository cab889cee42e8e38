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
  /** The frame as one Arrow IPC file or as frame JSON (UTF-8). */
  encode(format: FrameFormat, options?: FrameEncodeOptions): Uint8Array;
}

/** A frame, or bytes already encoded in the response's format. */
export type FrameLike = EncodableFrame | Uint8Array;

/** Encodes a frame for a response, passing pre-encoded bytes through. @private Internal code. */
export function encodeFrame(frame: FrameLike, format: FrameFormat, options?: FrameEncodeOptions): Uint8Array {
  if (frame instanceof Uint8Array) return frame;
  if (frame === null || typeof frame !== "object" || typeof frame.encode !== "function") {
    throw new TypeError("a frame must be a Frame (with an encode method) or a Uint8Array of encoded bytes");
  }
  return frame.encode(format, options);
}
