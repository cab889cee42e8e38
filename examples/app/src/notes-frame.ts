import { createField, Frame } from "@gfsdk/dataframe";
import type { Note } from "./note-store.js";

/** The notes as a frame named `notes`: `id`, `title` and `createdAt` (time), one row per note. */
export function notesFrame(notes: readonly Note[]): Frame {
  return new Frame({
    name: "notes",
    fields: [
      createField(
        "id",
        "string",
        notes.map((note) => note.id),
      ),
      createField(
        "title",
        "string",
        notes.map((note) => note.title),
      ),
      createField(
        "createdAt",
        "time",
        notes.map((note) => new Date(note.createdAt)),
      ),
    ],
  });
}
