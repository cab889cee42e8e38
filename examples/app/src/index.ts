export { appPlugin, appPluginId, notesChannel } from "./app-plugin.js";
export { noteInput } from "./note-input.js";
export {
  type Note,
  type NoteInput,
  NoteStore,
  NoteStoreFullError,
  type NoteStoreOptions,
} from "./note-store.js";
export { notesFrame } from "./notes-frame.js";
