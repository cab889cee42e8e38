import type { PluginContext } from "./plugin-context.js";

/** Why an instance left the cache: idle for `idleTtlMs`, replaced by new settings, or shutdown. */
export type InstanceEvictionReason = "idle" | "replaced" | "shutdown";

/** What {@link InstanceManagerOptions.onEvict} is told about an instance being disposed. */
export interface InstanceEviction {
  /** The cache key of the instance ({@link instanceKey}); a replaced one's successor has it now. */
  key: string;
  /** The plugin context of the last call that used the instance (its settings and secrets). */
  pluginContext: PluginContext;
  /** Why it goes. */
  reason: InstanceEvictionReason;
}

/** Default of {@link InstanceManagerOptions.idleTtlMs}: one hour, the Go SDK's instance TTL. */
export const defaultInstanceIdleTtlMs = 3_600_000;

/** The longest delay `setTimeout` takes (2^31 - 1 ms, about 24.8 days); longer waits are chained. */
const maxTimerDelayMs = 2 ** 31 - 1;

/** Options of {@link InstanceManager} and {@link createInstanceManager}. */
export interface InstanceManagerOptions {
  /**
   * An instance that no call has used for this long (in milliseconds, counted from the end of its
   * last call) is disposed and removed; the next call builds a new one. Default
   * {@link defaultInstanceIdleTtlMs} (1 hour); `0` never evicts. Never while a call holds it.
   */
  idleTtlMs?: number | undefined;
  /**
   * Called once per built instance when it is disposed (idle, replaced or shutdown), after its last
   * call has ended: the moment to drop what was kept for it, such as parsed settings and the
   * secrets to mask. Its errors go to `onDisposeError`.
   */
  onEvict?: ((eviction: InstanceEviction) => void) | undefined;
}

/** Options of {@link createInstanceManager}: the {@link InstanceManager} constructor's, named. */
export interface CreateInstanceManagerOptions<I> extends InstanceManagerOptions {
  /** Builds the instance for a plugin context (the settings of one data source or app). */
  create: (pluginContext: PluginContext) => I | Promise<I>;
  /** Frees an instance that is no longer used. Default: nothing. */
  dispose?: ((instance: I) => void | Promise<void>) | undefined;
  /** Gets what `dispose`, `onEvict` or `onActiveChange` threw. */
  onDisposeError: (error: unknown) => void;
  /** Called with the number of built, not yet disposed instances each time it changes. */
  onActiveChange?: ((active: number) => void) | undefined;
}

interface Entry<I> {
  key: string;
  version: string;
  instance: Promise<I>;
  /** The context of the call that last acquired it, for {@link InstanceEviction}. */
  pluginContext: PluginContext;
  inFlight: number;
  stale: boolean;
  disposed: boolean;
  /** When its last call ended (`Date.now()`), for the idle TTL. */
  idleSince: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** An instance lent to one call; `release` must be called when the call ends. */
export interface InstanceLease<I> {
  instance: I;
  release(): void;
}

/**
 * Keeps one instance per data source (or app, per org), rebuilt when its settings or the Grafana
 * config change, and disposed after `idleTtlMs` without a call. A replaced or idle instance is
 * disposed once its last call has finished, never while in use; a call that arrives while one is
 * being disposed gets a new instance. @private Internal code, used by the service layer.
 */
export class InstanceManager<I> {
  readonly #entries = new Map<string, Entry<I>>();
  readonly #create: (pluginContext: PluginContext) => I | Promise<I>;
  readonly #dispose: ((instance: I) => void | Promise<void>) | undefined;
  readonly #onDisposeError: (error: unknown) => void;
  readonly #onActiveChange: ((active: number) => void) | undefined;
  readonly #idleTtlMs: number;
  readonly #onEvict: ((eviction: InstanceEviction) => void) | undefined;
  #active = 0;

  /**
   * @param onActiveChange called with the number of built and not yet disposed instances each time
   *   it changes (the Go SDK's `plugins_active_instances` gauge).
   * @param options the idle TTL and the eviction callback ({@link InstanceManagerOptions}).
   * @throws RangeError when `options.idleTtlMs` is not a number >= 0.
   */
  constructor(
    create: (pluginContext: PluginContext) => I | Promise<I>,
    dispose: ((instance: I) => void | Promise<void>) | undefined,
    onDisposeError: (error: unknown) => void,
    onActiveChange?: (active: number) => void,
    options: InstanceManagerOptions = {},
  ) {
    const ttl = options.idleTtlMs ?? defaultInstanceIdleTtlMs;
    if (typeof ttl !== "number" || Number.isNaN(ttl) || ttl < 0) {
      throw new RangeError(
        `idleTtlMs is ${String(ttl)}: it must be a number of milliseconds >= 0 (0: never)`,
      );
    }
    this.#create = create;
    this.#dispose = dispose;
    this.#onDisposeError = onDisposeError;
    this.#onActiveChange = onActiveChange;
    this.#idleTtlMs = ttl;
    this.#onEvict = options.onEvict;
  }

  /** The number of cached instances (current settings only). */
  get size(): number {
    return this.#entries.size;
  }

  /** The number of built instances not yet disposed, replaced ones still in use included. */
  get active(): number {
    return this.#active;
  }

  /**
   * Lends the instance for `pluginContext`, building it first when there is none for these settings
   * (a failed build is not cached: it rejects this call, and the next one tries again).
   */
  async acquire(pluginContext: PluginContext): Promise<InstanceLease<I>> {
    const { key, version } = instanceKey(pluginContext);
    let entry = this.#entries.get(key);
    if (entry && entry.version !== version) {
      this.#retire(entry, "replaced");
      entry = undefined;
    }
    if (!entry) {
      const created: Entry<I> = {
        key,
        version,
        instance: Promise.resolve().then(() => this.#create(pluginContext)),
        pluginContext,
        inFlight: 0,
        stale: false,
        disposed: false,
        idleSince: 0,
        timer: undefined,
      };
      entry = created;
      this.#entries.set(key, created);
      created.instance.then(
        () => this.#changeActive(1),
        // A failed creation is not cached: the next call tries again.
        () => {
          if (this.#entries.get(key) === created) this.#entries.delete(key);
        },
      );
    }
    const current = entry;
    // Taken synchronously, before any await: an idle timer that fires from here on sees the lease.
    current.inFlight++;
    current.pluginContext = pluginContext;
    this.#clearTimer(current);
    let instance: I;
    try {
      instance = await current.instance;
    } catch (error) {
      current.inFlight--;
      throw error;
    }
    let released = false;
    return {
      instance,
      release: () => {
        if (released) return;
        released = true;
        current.inFlight--;
        if (current.inFlight > 0) return;
        if (current.stale) void this.#disposeEntry(current);
        else this.#startIdle(current);
      },
    };
  }

  /**
   * Disposes every cached instance and clears the idle timers, for shutdown. Instances already
   * replaced but still in use are disposed when their last call ends, as before.
   */
  async disposeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) {
      this.#clearTimer(entry);
      entry.stale = true;
    }
    await Promise.all(entries.map((e) => this.#disposeEntry(e, "shutdown")));
  }

  /** Takes `entry` out of the cache; it is disposed now if no call holds it, else at its last release. */
  #retire(entry: Entry<I>, reason: InstanceEvictionReason): void {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    this.#clearTimer(entry);
    entry.stale = true;
    if (entry.inFlight === 0) void this.#disposeEntry(entry, reason);
  }

  /** Starts the idle TTL of `entry`, whose last call has just ended. */
  #startIdle(entry: Entry<I>): void {
    if (this.#idleTtlMs === 0 || this.#entries.get(entry.key) !== entry) return;
    entry.idleSince = Date.now();
    this.#schedule(entry, this.#idleTtlMs);
  }

  #schedule(entry: Entry<I>, delayMs: number): void {
    this.#clearTimer(entry);
    entry.timer = setTimeout(() => this.#onIdleTimer(entry), Math.min(delayMs, maxTimerDelayMs));
    // An idle timer must never keep the process alive on its own.
    entry.timer.unref?.();
  }

  #onIdleTimer(entry: Entry<I>): void {
    entry.timer = undefined;
    if (entry.inFlight > 0 || entry.stale || this.#entries.get(entry.key) !== entry) return;
    const remaining = entry.idleSince + this.#idleTtlMs - Date.now();
    if (remaining > 0) {
      this.#schedule(entry, remaining); // a TTL longer than one timer can wait
      return;
    }
    this.#retire(entry, "idle");
  }

  #clearTimer(entry: Entry<I>): void {
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  async #disposeEntry(entry: Entry<I>, reason: InstanceEvictionReason = "replaced"): Promise<void> {
    if (entry.disposed) return;
    entry.disposed = true;
    let instance: I;
    try {
      instance = await entry.instance;
    } catch {
      return; // never built: nothing to dispose, and the caller already got the creation error
    }
    try {
      this.#onEvict?.({ key: entry.key, pluginContext: entry.pluginContext, reason });
    } catch (error) {
      this.#onDisposeError(error);
    }
    try {
      await this.#dispose?.(instance);
    } catch (error) {
      this.#onDisposeError(error);
    } finally {
      this.#changeActive(-1);
    }
  }

  #changeActive(delta: number): void {
    this.#active += delta;
    try {
      this.#onActiveChange?.(this.#active);
    } catch (error) {
      this.#onDisposeError(error);
    }
  }
}

/**
 * An {@link InstanceManager} from named options (the same as its constructor's positional ones).
 * @private Internal code, used by the service layer.
 */
export function createInstanceManager<I>(options: CreateInstanceManagerOptions<I>): InstanceManager<I> {
  return new InstanceManager(
    options.create,
    options.dispose,
    options.onDisposeError,
    options.onActiveChange,
    {
      idleTtlMs: options.idleTtlMs,
      onEvict: options.onEvict,
    },
  );
}

/**
 * The cache key of a plugin context's instance (one per data source, or app per org) and the
 * version of its settings (their `updated` time and the Grafana config): a new version replaces
 * the instance. @private Internal code, shared with the settings cache.
 */
export function instanceKey(pc: PluginContext): { key: string; version: string } {
  const config = JSON.stringify(pc.grafanaConfig.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const ds = pc.dataSourceInstanceSettings;
  if (ds) return { key: `ds#${pc.orgId}#${ds.uid || ds.id}`, version: `${ds.updated.getTime()}#${config}` };
  const app = pc.appInstanceSettings;
  if (app) return { key: `app#${pc.pluginId}#${pc.orgId}`, version: `${app.updated.getTime()}#${config}` };
  return { key: `plugin#${pc.pluginId}`, version: config };
}
