import { definePlugin, HealthStatus, PublishStreamStatus, SubscribeStreamStatus } from "@gfsdk/core";
import { noteInput } from "./note-input.js";
import { NoteStore, NoteStoreFullError } from "./note-store.js";
import { notesFrame } from "./notes-frame.js";

/** The plugin id of the example app, as in its plugin.json. */
export const appPluginId = "gfsdk-example-app";

/** The Live channel path of the notes: `plugin/gfsdk-example-app/notes` in Grafana. */
export const notesChannel = "notes";

const notFound = () => Response.json({ error: "no such note" }, { status: 404 });

async function createNote(request: Request, store: NoteStore): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch (error) {
    return Response.json({ error: `the body is not JSON: ${(error as Error).message}` }, { status: 400 });
  }
  const parsed = noteInput.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    return Response.json({ error: `invalid note: ${issues.join("; ")}` }, { status: 400 });
  }
  try {
    return Response.json(store.create(parsed.data), { status: 201 });
  } catch (error) {
    if (error instanceof NoteStoreFullError) return Response.json({ error: error.message }, { status: 409 });
    throw error;
  }
}

/**
 * The example app: a notes API (`GET/POST /notes`, `GET/DELETE /notes/:id`) and the Live channel
 * `notes`, which sends the notes as a frame on subscribe and after every change.
 */
export const appPlugin = definePlugin<Record<string, never>, Record<string, string>, NoteStore>({
  createInstance: () => new NoteStore(),

  checkHealth: ({ instance }) => ({
    status: HealthStatus.OK,
    message: `The notes API is working: ${instance.list().length} notes`,
  }),

  async callResource(request, { instance, path }) {
    const segments = path.replace(/^\/+|\/+$/g, "").split("/");
    if (segments[0] !== "notes" || segments.length > 2) return new Response("not found", { status: 404 });
    if (segments.length === 1) {
      if (request.method === "GET") return Response.json(instance.list());
      if (request.method === "POST") return createNote(request, instance);
      return new Response(null, { status: 405, headers: { Allow: "GET, POST" } });
    }
    const id = decodeURIComponent(segments[1]!);
    if (request.method === "GET") {
      const note = instance.get(id);
      return note === undefined ? notFound() : Response.json(note);
    }
    if (request.method === "DELETE")
      return instance.delete(id) ? new Response(null, { status: 204 }) : notFound();
    return new Response(null, { status: 405, headers: { Allow: "GET, DELETE" } });
  },

  subscribeStream: ({ path }, { instance }) =>
    path === notesChannel
      ? { status: SubscribeStreamStatus.OK, data: notesFrame(instance.list()) }
      : { status: SubscribeStreamStatus.NOT_FOUND },

  async runStream({ path }, sender, { instance, signal }) {
    if (path !== notesChannel) return;
    const changes = instance.changes(signal); // listens now: no change after this send is missed
    await sender.sendFrame(notesFrame(instance.list()), "all");
    for await (const _ of changes) await sender.sendFrame(notesFrame(instance.list()), "data");
  },

  publishStream: () => ({ status: PublishStreamStatus.PERMISSION_DENIED }),
});
