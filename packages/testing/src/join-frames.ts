import { createField, createFrame, type Field, type Frame } from "@gfsdk/dataframe";

function describeFields(frame: Frame): string {
  return frame.fields.map((f) => `${f.name}:${f.type}`).join(", ");
}

/**
 * Joins frames of one schema row by row: the frame a chunked answer sent in pieces. The first
 * frame's name, refId, meta, labels and config are kept. Throws when the schemas differ.
 * Written here because @gfsdk/dataframe has no frame concatenation; test-sized frames only.
 */
export function joinFrames(frames: Frame[], frameId: string): Frame {
  const [first, ...rest] = frames;
  if (first === undefined) throw new RangeError(`no chunks for frame ${JSON.stringify(frameId)}`);
  if (rest.length === 0) return first;
  for (const [i, frame] of rest.entries()) {
    const same =
      frame.fields.length === first.fields.length &&
      frame.fields.every((f, j) => f.name === first.fields[j]!.name && f.type === first.fields[j]!.type);
    if (!same) {
      throw new TypeError(
        `chunk ${i + 1} of frame ${JSON.stringify(frameId)} has fields (${describeFields(frame)}), ` +
          `the first chunk (${describeFields(first)})`,
      );
    }
  }
  const fields = first.fields.map((field: Field, j) => {
    const values = frames.flatMap((frame) => frame.fields[j]!.toArray());
    return createField(field.name, field.type, values, {
      nullable: frames.some((frame) => frame.fields[j]!.nullable),
      ...(field.labels === undefined ? {} : { labels: field.labels }),
      ...(field.config === undefined ? {} : { config: field.config }),
    });
  });
  return createFrame({
    name: first.name,
    ...(first.refId === undefined ? {} : { refId: first.refId }),
    ...(first.meta === undefined ? {} : { meta: first.meta }),
    fields,
  });
}
