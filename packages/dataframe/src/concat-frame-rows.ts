import { Field } from "./field.js";
import { FieldError } from "./field-error.js";
import type { FieldStorage } from "./field-type.js";
import { Frame } from "./frame.js";

/**
 * `first`'s rows followed by each of `others`' rows, in a new frame with `first`'s name, refId,
 * meta, and field names, types, labels and config. Throws {@link FieldError} for another frame
 * whose fields differ in count, name or type.
 */
export function concatFrameRows(first: Frame, others: readonly Frame[]): Frame {
  const frames = [first, ...others];
  frames.forEach((frame, index) => {
    if (index === 0) return;
    if (!(frame instanceof Frame)) {
      throw new TypeError(`concatRows: frame ${index} is not a Frame`);
    }
    if (frame.fields.length !== first.fields.length) {
      throw new FieldError(
        frame.fields[first.fields.length]?.name ?? first.fields[frame.fields.length]?.name ?? "",
        `frame ${index} has ${frame.fields.length} fields, the first has ${first.fields.length}; only frames of one schema can be joined`,
      );
    }
    frame.fields.forEach((field, i) => {
      const expected = first.fields[i]!;
      if (field.name !== expected.name || field.type !== expected.type) {
        throw new FieldError(
          field.name,
          `field ${i} of frame ${index} is "${field.name}" (${field.type}), the first frame's is "${expected.name}" (${expected.type}); only frames of one schema can be joined`,
          { fieldIndex: i },
        );
      }
    });
  });
  const fields = first.fields.map((expected, i) => {
    const columns = frames.map((frame) => frame.fields[i]!);
    const nullable = columns.some((c) => c.nullable);
    const length = columns.reduce((sum, c) => sum + c.length, 0);
    let validity: Uint8Array | undefined;
    if (nullable && columns.some((c) => c.validity !== undefined)) {
      validity = new Uint8Array(length);
      let offset = 0;
      for (const c of columns) {
        if (c.validity) validity.set(c.validity, offset);
        else validity.fill(1, offset, offset + c.length);
        offset += c.length;
      }
    }
    return new Field({
      name: expected.name,
      type: expected.type,
      values: concatStorage(columns.map((c) => c.values)) as never,
      nullable,
      ...(validity ? { validity } : {}),
      ...(expected.labels ? { labels: expected.labels } : {}),
      ...(expected.config ? { config: expected.config } : {}),
    });
  });
  return new Frame({
    name: first.name,
    ...(first.refId !== undefined ? { refId: first.refId } : {}),
    ...(first.meta !== undefined ? { meta: first.meta } : {}),
    fields,
  });
}

/** One column storage of the same kind holding `parts` one after another. */
function concatStorage(parts: FieldStorage[]): FieldStorage {
  const head = parts[0]!;
  if (Array.isArray(head)) return (parts as unknown[][]).flat(1) as FieldStorage;
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const Ctor = head.constructor as new (
    length: number,
  ) => FieldStorage & { set(a: ArrayLike<unknown>, o: number): void };
  const out = new Ctor(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part as ArrayLike<unknown>, offset);
    offset += part.length;
  }
  return out;
}
