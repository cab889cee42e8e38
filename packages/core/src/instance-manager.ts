import type { PluginContext } from "./plugin-context.js";

interface Entry<I> {
  version: string;
  instance: Promise<I>;
  inFlight: number;
  stale: boolean;
}

/** An instance lent to one call; `release` must be called when the call ends. */
export interface InstanceLease<I> {
  instance: I;
  release(): void;
}

/**
 * Keeps one instance per data source (or app, per org), rebuilt when its settings or the Grafana
 * config change. A replaced instance is disposed once its last call has finished, never while in
 * use. @private Internal code, used by the service layer.
 */
export class InstanceManager<I> {
  readonly #entries = new Map<string, Entry<I>>();
  readonly #create: (pluginContext: PluginContext) => I | Promise<I>;
  readonly #dispose: ((instance: I) => void | Promise<void>) | undefined;
  readonly #onDisposeError: (error: unknown) => void;
  readonly #onActiveChange: ((active: number) => void) | undefined;
  #active = 0;

  /**
   * @param onActiveChange called with the number of built and not yet disposed instances each time
   *   it changes (the Go SDK's `plugins_active_instances` gauge).
   */
  constructor(
    create: (pluginContext: PluginContext) => I | Promise<I>,
    dispose: ((instance: I) => void | Promise<void>) | undefined,
    onDisposeError: (error: unknown) => void,
    onActiveChange?: (active: number) => void,
  ) {
    this.#create = create;
    this.#dispose = dispose;
    this.#onDisposeError = onDisposeError;
    this.#onActiveChange = onActiveChange;
  }

  /** The number of cached instances (current settings only). */
  get size(): number {
    return this.#entries.size;
  }

  /** The number of built instances not yet disposed, replaced ones still in use included. */
  get active(): number {
    return this.#active;
  }

  async acquire(pluginContext: PluginContext): Promise<InstanceLease<I>> {
    const { key, version } = instanceKey(pluginContext);
    let entry = this.#entries.get(key);
    if (entry && entry.version !== version) {
      this.#retire(key, entry);
      entry = undefined;
    }
    if (!entry) {
      const created: Entry<I> = {
        version,
        instance: Promise.resolve().then(() => this.#create(pluginContext)),
        inFlight: 0,
        stale: false,
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
    current.inFlight++;
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
        if (current.stale && current.inFlight === 0) this.#disposeEntry(current);
      },
    };
  }

  /** Disposes every instance, for shutdown. */
  async disposeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => this.#disposeEntry(e)));
  }

  #retire(key: string, entry: Entry<I>): void {
    this.#entries.delete(key);
    entry.stale = true;
    if (entry.inFlight === 0) void this.#disposeEntry(entry);
  }

  async #disposeEntry(entry: Entry<I>): Promise<void> {
    let instance: I;
    try {
      instance = await entry.instance;
    } catch {
      return; // never built: nothing to dispose, and the caller already got the creation error
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

function instanceKey(pc: PluginContext): { key: string; version: string } {
  const config = JSON.stringify(pc.grafanaConfig.entries().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const ds = pc.dataSourceInstanceSettings;
  if (ds) return { key: `ds#${pc.orgId}#${ds.uid || ds.id}`, version: `${ds.updated.getTime()}#${config}` };
  const app = pc.appInstanceSettings;
  if (app) return { key: `app#${pc.pluginId}#${pc.orgId}`, version: `${app.updated.getTime()}#${config}` };
  return { key: `plugin#${pc.pluginId}`, version: config };
}
