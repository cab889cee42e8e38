import { definePlugin, HealthStatus, typed } from "@gfsdk/core";

/** The app's settings: `jsonData`, edited on its configuration page in Grafana. */
export interface Settings {
  /** How `GET hello` greets; default "Hello". */
  greeting?: string;
}

/** The app: a health check, and resources under /api/plugins/<id>/resources/. */
export const plugin = definePlugin({
  // A plain type (no validation); any Standard Schema (zod, valibot, arktype) works here too.
  jsonData: typed<Settings>(),

  checkHealth({ jsonData }) {
    const greeting = jsonData.greeting ?? "Hello";
    if (typeof greeting !== "string" || greeting.trim() === "") {
      return { status: HealthStatus.ERROR, message: "greeting must be a non-empty string" };
    }
    return { status: HealthStatus.OK, message: "App is working" };
  },

  // Resources by method and path: a web Request in, a web Response out. Other paths answer 404,
  // another method on a known path 405.
  routes: {
    "GET /hello": (_request, { jsonData, user }) => {
      const greeting = jsonData.greeting ?? "Hello";
      return Response.json({ message: `${greeting}, ${user?.name || "stranger"}!` });
    },
  },
});
