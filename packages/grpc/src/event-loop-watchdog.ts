import type * as fs from "node:fs";
import { Worker } from "node:worker_threads";
import type { Plugin, PluginHandlers } from "@gfsdk/core";

/** How long the event loop may stay blocked during a call before it is logged, by default: 1000 ms. */
export const defaultEventLoopWatchdogMs = 1000;

/**
 * The environment variable that sets the watchdog's threshold in ms (`0` turns it off); when set,
 * it wins over `serve`'s `eventLoopWatchdogMs`, so an operator can tune an installed plugin.
 */
export const eventLoopWatchdogEnvName = "GFSDK_EVENT_LOOP_WATCHDOG_MS";

/** Options of {@link createEventLoopWatchdog}. */
export interface EventLoopWatchdogOptions {
  /** A call may keep the event loop blocked this long, in ms, before it is logged. Default 1000. */
  thresholdMs?: number;
  /** `@module` of the log lines, for example the plugin id. Default: none. */
  module?: string;
  /** The file descriptor the lines are written to. Default 2 (stderr). */
  fd?: number;
  /**
   * The names of the calls {@link EventLoopWatchdog.enter} is given; any other name is counted as
   * `"other"`. Default: the handler names of every RPC.
   */
  endpoints?: readonly string[];
}

/**
 * Watches the event loop from a worker thread while calls are in flight and writes an hclog JSON
 * line at `warn` to stderr when it has been blocked for `thresholdMs`, naming the calls in flight,
 * and another when it runs again, with how long it was blocked.
 */
export interface EventLoopWatchdog {
  /** The threshold in ms. */
  readonly thresholdMs: number;
  /** Marks a call of `endpoint` as in flight; returns the function that marks it ended (idempotent). */
  enter(endpoint: string): () => void;
  /** Stops the worker thread. Safe to call more than once. */
  stop(): void;
}

/** The handler names of the pluginv2 RPCs: the watchdog's endpoint names by default. */
export const rpcHandlerNames = [
  "checkHealth",
  "collectMetrics",
  "queryData",
  "queryChunkedData",
  "callResource",
  "subscribeStream",
  "runStream",
  "publishStream",
  "validateAdmission",
  "mutateAdmission",
  "convertObjects",
] as const;

// Layout of the shared Int32Array: calls in flight, the main thread's last beat (ms since `epoch`),
// then one count of calls in flight per endpoint name.
const IN_FLIGHT = 0;
const BEAT = 1;
const FIRST_ENDPOINT = 2;

interface WorkerData {
  state: Int32Array;
  /** The slots above: the worker's source cannot see this module's constants. */
  layout: { inFlight: number; beat: number; firstEndpoint: number };
  names: string[];
  thresholdMs: number;
  checkMs: number;
  epoch: number;
  fd: number;
  module: string | undefined;
}

/**
 * The worker's loop. It runs as the source text of a Worker (`eval`), so it uses nothing from this
 * module's scope: a bundled or single-executable plugin has no separate worker file to load.
 */
function watchdogLoop(data: WorkerData, nodeFs: typeof fs): void {
  const { state, layout, names, thresholdMs, checkMs, epoch, fd, module } = data;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const timestamp = () => {
    // hclog's layout, 2006-01-02T15:04:05.000000Z07:00, as core's hclogTimestamp writes it.
    const epochMs = performance.timeOrigin + performance.now();
    const whole = Math.floor(epochMs);
    const micros = Math.floor((epochMs - whole) * 1000);
    return `${new Date(whole).toISOString().slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
  };
  const write = (message: string, attributes: Record<string, unknown>) => {
    const record: Record<string, unknown> = { ...attributes };
    record["@level"] = "warn";
    record["@message"] = message;
    record["@timestamp"] = timestamp();
    if (module !== undefined) record["@module"] = module;
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
    let written = 0;
    for (let tries = 0; written < bytes.length && tries < 100; tries++) {
      try {
        written += nodeFs.writeSync(fd, bytes, written);
      } catch (error) {
        // A non-blocking stderr pipe that is full: wait a little. Anything else (EPIPE: the host
        // is gone) loses the line, as any log line would be lost.
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return;
        Atomics.wait(sleeper, 0, 0, 1);
      }
    }
  };
  const inFlight = () => {
    const parts: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const count = Atomics.load(state, layout.firstEndpoint + i);
      if (count > 0) parts.push(count === 1 ? names[i]! : `${names[i]} (${count})`);
    }
    return parts.join(", ");
  };
  let blocked = false;
  let blockedBeat = 0;
  let blockedEndpoints = "";
  for (;;) {
    // Idle (no call in flight): sleep until a call starts, at no cost.
    if (!blocked && Atomics.load(state, layout.inFlight) === 0) {
      Atomics.wait(state, layout.inFlight, 0);
      continue;
    }
    Atomics.wait(sleeper, 0, 0, checkMs);
    const beat = Atomics.load(state, layout.beat);
    if (blocked) {
      if (beat !== blockedBeat) {
        blocked = false;
        write("The event loop ran again after being blocked", {
          blockedMs: (beat - blockedBeat) | 0,
          endpoints: blockedEndpoints,
        });
      }
      continue;
    }
    const lagMs = (((Date.now() - epoch) | 0) - beat) | 0;
    if (lagMs >= thresholdMs && Atomics.load(state, layout.inFlight) > 0) {
      blocked = true;
      blockedBeat = beat;
      blockedEndpoints = inFlight();
      write("The event loop is blocked: no call is answered until the code running now yields", {
        blockedMs: lagMs,
        thresholdMs,
        endpoints: blockedEndpoints,
      });
    }
  }
}

/**
 * Starts an {@link EventLoopWatchdog}. A blocked main thread cannot log, so the watching is done by
 * a worker thread, started at the first call (a plugin never called costs nothing) and `unref`ed
 * (it never keeps the process alive). While calls are in flight the main thread beats every quarter
 * of the threshold; when no beat came for `thresholdMs` the worker writes the line itself with
 * `fs.writeSync`. With no call in flight the timer is off and the worker sleeps in `Atomics.wait`.
 * The blocked line appears between 1 and 1.5 times the threshold after the block starts.
 */
export function createEventLoopWatchdog(options: EventLoopWatchdogOptions = {}): EventLoopWatchdog {
  const thresholdMs = options.thresholdMs ?? defaultEventLoopWatchdogMs;
  if (!(thresholdMs > 0 && Number.isFinite(thresholdMs))) {
    throw new RangeError(
      `the event loop watchdog's threshold must be a positive number of ms, got ${thresholdMs}`,
    );
  }
  const names = [...new Set([...(options.endpoints ?? rpcHandlerNames), "other"])];
  const slots = new Map(names.map((name, i) => [name, FIRST_ENDPOINT + i]));
  const other = slots.get("other")!;
  const state = new Int32Array(new SharedArrayBuffer(4 * (FIRST_ENDPOINT + names.length)));
  const epoch = Date.now();
  const beatMs = Math.max(5, Math.floor(thresholdMs / 4));
  const beat = () => Atomics.store(state, BEAT, (Date.now() - epoch) | 0);

  let worker: Worker | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const start = () => {
    if (worker || stopped) return;
    const data: WorkerData = {
      state,
      layout: { inFlight: IN_FLIGHT, beat: BEAT, firstEndpoint: FIRST_ENDPOINT },
      names,
      thresholdMs,
      checkMs: beatMs,
      epoch,
      fd: options.fd ?? 2,
      module: options.module,
    };
    // `__name`: the helper a bundler keeping function names may have put into the function's text.
    const source = `const __name = (f) => f;\n(${watchdogLoop.toString()})(require("node:worker_threads").workerData, require("node:fs"));`;
    worker = new Worker(source, { eval: true, workerData: data });
    worker.unref();
    // Losing the watchdog must never take the plugin down.
    worker.on("error", () => {});
  };

  return {
    thresholdMs,
    enter(endpoint) {
      start();
      const slot = slots.get(endpoint) ?? other;
      beat();
      Atomics.add(state, slot, 1);
      if (Atomics.add(state, IN_FLIGHT, 1) === 0) {
        Atomics.notify(state, IN_FLIGHT);
        timer = setInterval(beat, beatMs);
        timer.unref();
      }
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        // A beat first: the loop may have been blocked until just now, and no timer may fire
        // before the count drops to zero.
        beat();
        Atomics.sub(state, slot, 1);
        if (Atomics.sub(state, IN_FLIGHT, 1) === 1) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      void worker?.terminate();
      worker = undefined;
    },
  };
}

/**
 * The watchdog threshold `serve` uses: `GFSDK_EVENT_LOOP_WATCHDOG_MS` when set to a number ≥ 0,
 * else `option`, else 1000; 0 means off (undefined).
 */
export function eventLoopWatchdogMs(
  option: number | undefined,
  env: Record<string, string | undefined>,
): number | undefined {
  const raw = env[eventLoopWatchdogEnvName]?.trim();
  const fromEnv = raw ? Number(raw) : Number.NaN;
  const ms = fromEnv >= 0 ? fromEnv : (option ?? defaultEventLoopWatchdogMs);
  return ms > 0 && Number.isFinite(ms) ? ms : undefined;
}

type AnyFunction = (...args: unknown[]) => unknown;

/** The endpoint names {@link watchEventLoop} reports for `plugin`'s handlers. */
export function pluginEndpointNames<J, S, I>(plugin: Plugin<J, S, I>): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(plugin.handlers)) {
    if (typeof value === "function") names.push(name);
    else if (name === "queryTypes" && value !== null && typeof value === "object") {
      for (const [queryType, entry] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        if (typeof entry?.query === "function" || typeof entry?.queries === "function") {
          names.push(`queryData:${queryType}`);
        }
      }
    } else if (name === "routes" && value !== null && typeof value === "object") {
      for (const [route, fn] of Object.entries(value))
        if (typeof fn === "function") names.push(`route:${route}`);
    }
  }
  return names;
}

/**
 * `plugin` with each handler reporting its calls to a new {@link EventLoopWatchdog}, under its
 * handler name (`queryData:<queryType>` for per-type query handlers; `createInstance` too). A call
 * counts as in flight until one macrotask after its handler settled, so the synchronous work core
 * does with the answer (encoding frames) counts too.
 */
export function watchEventLoop<J, S, I>(
  plugin: Plugin<J, S, I>,
  options: Omit<EventLoopWatchdogOptions, "endpoints"> = {},
): { plugin: Plugin<J, S, I>; watchdog: EventLoopWatchdog } {
  const watchdog = createEventLoopWatchdog({ ...options, endpoints: pluginEndpointNames(plugin) });
  const wrap = (fn: AnyFunction, endpoint: string): AnyFunction =>
    function (this: unknown, ...args: unknown[]) {
      const end = watchdog.enter(endpoint);
      const later = () => setImmediate(end);
      try {
        const result = fn.apply(this, args);
        if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
          (result as PromiseLike<unknown>).then(later, later);
        } else {
          later();
        }
        return result;
      } catch (error) {
        later();
        throw error;
      }
    };
  const handlers: Record<string, unknown> = { ...plugin.handlers };
  for (const [name, value] of Object.entries(handlers)) {
    if (typeof value === "function") {
      handlers[name] = wrap(value as AnyFunction, name);
    } else if (name === "queryTypes" && value !== null && typeof value === "object") {
      handlers[name] = Object.fromEntries(
        Object.entries(value as Record<string, Record<string, unknown>>).map(([queryType, entry]) => {
          const wrapped: Record<string, unknown> = { ...entry };
          for (const key of ["query", "queries"]) {
            if (typeof entry[key] === "function") {
              wrapped[key] = wrap(entry[key] as AnyFunction, `queryData:${queryType}`);
            }
          }
          return [queryType, wrapped];
        }),
      );
    } else if (name === "routes" && value !== null && typeof value === "object") {
      handlers[name] = Object.fromEntries(
        Object.entries(value).map(([route, fn]) => [
          route,
          typeof fn === "function" ? wrap(fn as AnyFunction, `route:${route}`) : fn,
        ]),
      );
    }
  }
  return { plugin: { ...plugin, handlers: handlers as PluginHandlers }, watchdog };
}
