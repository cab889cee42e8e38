import { DownstreamError, definePlugin, HealthStatus, type Plugin, SubscribeStreamStatus } from "@gfsdk/core";

/** What the fixture's handlers saw, for tests to assert on. */
export interface FixtureEvents {
  /** Names of the handlers that started. */
  started: string[];
  /** Names of the handlers whose signal aborted. */
  aborted: string[];
  /** Names of the handlers that finished their work. */
  finished: string[];
}

const encoder = new TextEncoder();

/** Fresh, empty {@link FixtureEvents}. */
export function createFixtureEvents(): FixtureEvents {
  return { started: [], aborted: [], finished: [] };
}

/** Resolves after `ms`, or as soon as `signal` aborts; returns whether it aborted. */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(true);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(false);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(true);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A small plugin that exercises the adapter: a health check, queries that echo, wait or answer
 * big, a streamed resource, a running stream, and subscriptions that throw synchronously or
 * asynchronously. Testing code, not part of the published API.
 */
export function createFixturePlugin(events: FixtureEvents = createFixtureEvents()): Plugin {
  return definePlugin({
    checkHealth: () => ({ status: HealthStatus.OK, message: "fixture ok" }),
    queryTypes: {
      // The query JSON comes back as the only "frame": pre-encoded bytes pass through core.
      echo: { query: (query) => [query.json] },
      slow: {
        query: async (query, context) => {
          events.started.push("slow");
          const ms = Number(query.model.ms ?? 60_000);
          if (await wait(ms, context.signal)) {
            events.aborted.push("slow");
            throw context.signal.reason;
          }
          events.finished.push("slow");
          return [encoder.encode(`slept ${ms}`)];
        },
      },
      big: { query: (query) => [new Uint8Array(Number(query.model.bytes ?? 0)).fill(7)] },
      // Keeps the event loop busy for `ms` (default 2000): what the event loop watchdog reports.
      block: {
        query: (query) => {
          const ms = Number(query.model.ms ?? 2000);
          const end = performance.now() + ms;
          while (performance.now() < end) {
            // busy: nothing else runs in this process meanwhile
          }
          return [encoder.encode(`blocked ${ms}`)];
        },
      },
      // Logs that it started, then runs until its signal aborts (the host cancelled or went away).
      hold: {
        query: async (query, context) => {
          context.logger.info("fixture hold started", { refId: query.refId });
          const { signal } = context;
          await new Promise((resolve) => {
            if (signal.aborted) resolve(undefined);
            signal.addEventListener("abort", resolve, { once: true });
          });
          throw signal.reason;
        },
      },
      // A real @gfsdk/dataframe frame of `rows` copies of one `rowBytes`-character string (default
      // 1 MiB): past the encoders' limits it cannot be encoded. Loaded on demand, so the fixture
      // does not load Arrow unless asked.
      huge: {
        query: async (query) => {
          const { createFrame, stringField } = await import("@gfsdk/dataframe");
          const value = "x".repeat(Number(query.model.rowBytes ?? 1024 * 1024));
          const values = Array.from({ length: Number(query.model.rows ?? 1) }, () => value);
          return [createFrame({ name: "huge", fields: [stringField("text", values)] })];
        },
      },
      // Writes `text` with console.log, which goes to stdout before the handshake redirects it.
      print: {
        query: (query) => {
          console.log(String(query.model.text ?? ""));
          return [encoder.encode("printed")];
        },
      },
    },
    callResource: (request) => {
      const chunks = Number(new URL(request.url).searchParams.get("chunks") ?? "1");
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i < chunks) controller.enqueue(encoder.encode(`chunk ${i++}\n`));
          else controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { "content-type": "text/plain" } });
    },
    runStream: async (request, sender, context) => {
      events.started.push("runStream");
      const count = Number(
        (request.data as { count?: number } | undefined)?.count ?? Number.POSITIVE_INFINITY,
      );
      for (let i = 0; i < count && !context.signal.aborted; i++) {
        await sender.sendJSON({ i });
        await wait(5, context.signal);
      }
      if (context.signal.aborted) events.aborted.push("runStream");
      else events.finished.push("runStream");
    },
    subscribeStream: (request) => {
      if (request.path === "throw-sync") throw new Error("thrown synchronously");
      if (request.path === "throw-async") {
        return Promise.reject(new DownstreamError(new Error("the database is down")));
      }
      return { status: SubscribeStreamStatus.OK };
    },
  });
}
