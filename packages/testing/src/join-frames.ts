import type { Frame } from "@gfsdk/dataframe";

/**
 * Joins the chunks of one frameId row by row (`Frame.concatRows`): the frame a chunked answer sent
 * in pieces, with the first chunk's name, refId, meta, labels and config. Throws, naming the
 * frameId, when the chunks' fields differ.
 */
export function joinFrames(frames: Frame[], frameId: string): Frame {
  const [first, ...rest] = frames;
  if (first === undefined) throw new RangeError(`no chunks for frame ${JSON.stringify(frameId)}`);
  if (rest.length === 0) return first;
  try {
    return first.concatRows(rest);
  } catch (error) {
    throw new TypeError(
      `the chunks of frame ${JSON.stringify(frameId)} cannot be joined: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
