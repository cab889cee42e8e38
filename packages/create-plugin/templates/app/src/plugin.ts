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

  // A web Request in, a web Response out.
  callResource(request, { pluginContext, jsonData }) {
    const { pathname } = new URL(request.url);
    if (pathname === "/hello" && request.method === "GET") {
      const greeting = jsonData.greeting ?? "Hello";
      const name = pluginContext.user?.name || "stranger";
      return Response.json({ message: `${greeting}, ${name}!` });
    }
    return Response.json({ error: `no resource ${request.method} ${pathname}` }, { status: 404 });
  },
});
