import {
  definePlugin,
  HealthStatus,
  PublishStreamStatus,
  readJson,
  SubscribeStreamStatus,
} from "@gfsdk/core";
import { noteInput } from "./note-input.js";
import { NoteStore, NoteStoreFullError } from "./note-store.js";
import { notesFrame } from "./notes-frame.js";

/** The plugin id of the example app, as in its plugin.json. */
export const appPluginId = "gfsdk-example-app";

/** The Live channel path of the notes: `plugin/gfsdk-example-app/notes` in Grafana. */
export const notesChannel = "notes";

const noSuchNote = (id: string) =>
  Response.json({ message: `no note with id ${JSON.stringify(id)}` }, { status: 404 });

/**
 * The example app: a notes API on the resource router (`GET/POST /notes`, `GET/DELETE /notes/:id`)
 * and the Live channel `notes`, which sends the notes as a frame on subscribe and after every change.
 */
export const appPlugin = definePlugin({
  createInstance: () => new NoteStore(),
  // The store is the notes' only copy: an idle app keeps it (0: never disposed for being idle).
  instanceIdleTtlMs: 0,

  checkHealth: ({ instance }) => ({
    status: HealthStatus.OK,
    message: `The notes API is working: ${instance.list().length} notes`,
  }),

  routes: {
    "GET /notes": (_request, { instance }) => Response.json(instance.list()),
    "POST /notes": async (request, { instance }) => {
      const input = await readJson(request, noteInput); // a 400 naming the bad field otherwise
      try {
        return Response.json(instance.create(input), { status: 201 });
      } catch (error) {
        if (error instanceof NoteStoreFullError)
          return Response.json({ message: error.message }, { status: 409 });
        throw error;
      }
    },
    "GET /notes/:id": (_request, { instance, params }) => {
      const note = instance.get(params.id);
      return note === undefined ? noSuchNote(params.id) : Response.json(note);
    },
    "DELETE /notes/:id": (_request, { instance, params }) =>
      instance.delete(params.id) ? new Response(null, { status: 204 }) : noSuchNote(params.id),
  },

  subscribeStream: ({ path }, { instance }) =>
    path === notesChannel
      ? { status: SubscribeStreamStatus.OK, initialData: notesFrame(instance.list()) }
      : { status: SubscribeStreamStatus.NOT_FOUND },

  async runStream({ path }, sender, { instance, signal }) {
    if (path !== notesChannel) return;
    const changes = instance.changes(signal); // listens now: no change after this send is missed
    // The first send carries the frame's schema and data, the later ones (same schema) data only.
    await sender.sendFrame(notesFrame(instance.list()));
    for await (const _ of changes) await sender.sendFrame(notesFrame(instance.list()));
  },

  publishStream: () => ({ status: PublishStreamStatus.PERMISSION_DENIED }),
});
