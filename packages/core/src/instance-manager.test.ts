import { create } from "@bufbuild/protobuf";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PluginContextSchema } from "./gen/pluginv2/backend_pb.js";
import { createInstanceManager, type InstanceEviction, InstanceManager } from "./instance-manager.js";
import type { PluginContext } from "./plugin-context.js";
import { PluginContextParser } from "./plugin-context.js";

const parser = new PluginContextParser();

/** A parsed plugin context for data source `uid`, last updated at `updated` ms. */
function dsContext(uid: string, updated: number): PluginContext {
  return parser.parse(
    create(PluginContextSchema, {
      orgId: 1n,
      pluginId: "p",
      dataSourceInstanceSettings: {
        uid,
        lastUpdatedMS: BigInt(updated),
        jsonData: new TextEncoder().encode("{}"),
      },
    }),
  );
}

describe("InstanceManager", () => {
  it("builds one instance per data source and reuses it while the settings are unchanged", async () => {
    let built = 0;
    const manager = new InstanceManager(
      () => ({ n: ++built }),
      undefined,
      () => {},
    );
    const a = await manager.acquire(dsContext("a", 1));
    const again = await manager.acquire(dsContext("a", 1));
    const b = await manager.acquire(dsContext("b", 1));
    expect([a.instance, again.instance, b.instance]).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }]);
    expect(manager.size).toBe(2);
    expect(manager.active).toBe(2);
  });

  it("disposes a replaced instance only when its last call has released it", async () => {
    const disposed: number[] = [];
    let built = 0;
    const manager = new InstanceManager(
      () => ({ n: ++built }),
      (i) => {
        disposed.push(i.n);
      },
      () => {},
    );
    const old = await manager.acquire(dsContext("a", 1));
    const fresh = await manager.acquire(dsContext("a", 2));
    expect(fresh.instance).toEqual({ n: 2 });
    await Promise.resolve();
    expect(disposed).toEqual([]);
    expect(manager.active).toBe(2);
    old.release();
    old.release(); // a second release is ignored
    await expect.poll(() => disposed).toEqual([1]);
    expect(manager.active).toBe(1);
    fresh.release();
    expect(disposed).toEqual([1]);
  });

  it("does not cache a failed creation, and does not count or dispose it", async () => {
    const errors: unknown[] = [];
    const active: number[] = [];
    let attempts = 0;
    const manager = new InstanceManager(
      () => {
        if (++attempts === 1) throw new Error("unreachable database");
        return { ok: true };
      },
      () => {
        throw new Error("must not dispose a failed creation");
      },
      (e) => errors.push(e),
      (n) => active.push(n),
    );
    await expect(manager.acquire(dsContext("a", 1))).rejects.toThrow("unreachable database");
    expect(manager.size).toBe(0);
    const lease = await manager.acquire(dsContext("a", 1));
    expect(lease.instance).toEqual({ ok: true });
    expect(active).toEqual([1]);
    expect(errors).toEqual([]);
  });

  it("reports a dispose failure and still counts the instance as gone", async () => {
    const errors: unknown[] = [];
    const active: number[] = [];
    const manager = new InstanceManager(
      () => ({}),
      () => {
        throw new Error("close failed");
      },
      (e) => errors.push(e),
      (n) => active.push(n),
    );
    (await manager.acquire(dsContext("a", 1))).release();
    await manager.disposeAll();
    expect(errors).toEqual([new Error("close failed")]);
    expect(active).toEqual([1, 0]);
    expect(manager.active).toBe(0);
  });
});

describe("InstanceManager idle TTL", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A manager whose instances are numbered, recording disposals and evictions. */
  function numbered(idleTtlMs?: number) {
    const disposed: number[] = [];
    const evictions: InstanceEviction[] = [];
    let built = 0;
    const manager = createInstanceManager({
      create: () => ({ n: ++built }),
      dispose: (i) => {
        disposed.push(i.n);
      },
      onDisposeError: (e) => {
        throw e;
      },
      onEvict: (e) => evictions.push(e),
      ...(idleTtlMs === undefined ? {} : { idleTtlMs }),
    });
    return { manager, disposed, evictions };
  }

  it("disposes an instance no call used for an hour by default, and builds a new one for the next call", async () => {
    const { manager, disposed, evictions } = numbered();
    const pc = dsContext("a", 1);
    (await manager.acquire(pc)).release();
    await vi.advanceTimersByTimeAsync(3_600_000 - 1);
    expect(disposed).toEqual([]);
    expect(manager.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(disposed).toEqual([1]);
    expect(manager.size).toBe(0);
    expect(manager.active).toBe(0);
    expect(evictions).toEqual([{ key: "ds#1#a", pluginContext: pc, reason: "idle" }]);
    const next = await manager.acquire(pc);
    expect(next.instance).toEqual({ n: 2 });
  });

  it("counts idle time from the end of the last call, and restarts it with each call", async () => {
    const { manager, disposed } = numbered(1000);
    const pc = dsContext("a", 1);
    (await manager.acquire(pc)).release();
    await vi.advanceTimersByTimeAsync(900);
    const lease = await manager.acquire(pc);
    await vi.advanceTimersByTimeAsync(5000); // a long call: never evicted while it holds the lease
    expect(disposed).toEqual([]);
    lease.release();
    await vi.advanceTimersByTimeAsync(999);
    expect(disposed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(disposed).toEqual([1]);
  });

  it("never evicts with idleTtlMs 0", async () => {
    const { manager, disposed } = numbered(0);
    (await manager.acquire(dsContext("a", 1))).release();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(disposed).toEqual([]);
    expect(manager.size).toBe(1);
  });

  it("waits out a TTL longer than one timer can", async () => {
    const days30 = 30 * 24 * 3_600_000;
    const { manager, disposed } = numbered(days30);
    (await manager.acquire(dsContext("a", 1))).release();
    await vi.advanceTimersByTimeAsync(days30 - 1);
    expect(disposed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(disposed).toEqual([1]);
  });

  it("gives a call that arrives during an idle disposal a new instance", async () => {
    let finishDispose = () => {};
    const disposing: number[] = [];
    let built = 0;
    const manager = createInstanceManager({
      create: () => ({ n: ++built }),
      dispose: (i) =>
        new Promise<void>((resolve) => {
          disposing.push(i.n);
          finishDispose = resolve;
        }),
      onDisposeError: () => {},
      idleTtlMs: 10,
    });
    const pc = dsContext("a", 1);
    (await manager.acquire(pc)).release();
    await vi.advanceTimersByTimeAsync(10);
    expect(disposing).toEqual([1]);
    const during = await manager.acquire(pc);
    expect(during.instance).toEqual({ n: 2 });
    finishDispose();
    during.release();
    expect(manager.size).toBe(1);
  });

  it("tells onEvict why each instance goes, once, after its last call", async () => {
    const { manager, evictions, disposed } = numbered(100);
    const old = await manager.acquire(dsContext("a", 1));
    (await manager.acquire(dsContext("a", 2))).release();
    expect(evictions).toEqual([]); // the replaced one is still in use
    old.release();
    await vi.advanceTimersByTimeAsync(0);
    (await manager.acquire(dsContext("b", 1))).release();
    await manager.disposeAll();
    expect(
      evictions.map((e) => [e.key, e.reason, e.pluginContext.dataSourceInstanceSettings?.updated.getTime()]),
    ).toEqual([
      ["ds#1#a", "replaced", 1],
      ["ds#1#a", "shutdown", 2],
      ["ds#1#b", "shutdown", 1],
    ]);
    expect(disposed.sort()).toEqual([1, 2, 3]);
  });

  it("clears its timers on disposeAll, so none is left to fire", async () => {
    const { manager, disposed } = numbered(1000);
    (await manager.acquire(dsContext("a", 1))).release();
    (await manager.acquire(dsContext("b", 1))).release();
    expect(vi.getTimerCount()).toBe(2);
    await manager.disposeAll();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(disposed.sort()).toEqual([1, 2]);
  });

  it("unrefs its timers so that they never keep the process alive", async () => {
    const unref = vi.fn();
    const realSetTimeout = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      const timer = realSetTimeout(fn, ms);
      const original = timer.unref.bind(timer);
      timer.unref = () => {
        unref();
        return original();
      };
      return timer;
    }) as typeof setTimeout);
    try {
      const { manager } = numbered(1000);
      (await manager.acquire(dsContext("a", 1))).release();
      expect(unref).toHaveBeenCalledTimes(1);
      await manager.disposeAll();
    } finally {
      spy.mockRestore();
    }
  });

  it("refuses an idleTtlMs that is not a number >= 0", () => {
    for (const idleTtlMs of [-1, Number.NaN, "60" as never]) {
      expect(
        () =>
          new InstanceManager(
            () => ({}),
            undefined,
            () => {},
            undefined,
            { idleTtlMs },
          ),
      ).toThrow(RangeError);
    }
  });

  it("never disposes an instance while a call holds it, with 500 calls racing settings updates and evictions", async () => {
    // A seeded generator, so that a failure replays the same interleaving.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    interface Instance {
      id: number;
      leases: number;
      disposed: boolean;
      disposeCalls: number;
    }
    const instances: Instance[] = [];
    const violations: string[] = [];
    const manager = createInstanceManager<Instance>({
      create: async () => {
        // Creation takes a random number of microtask turns, so calls overlap it.
        for (let i = Math.floor(random() * 5); i > 0; i--) await Promise.resolve();
        const instance = { id: instances.length + 1, leases: 0, disposed: false, disposeCalls: 0 };
        instances.push(instance);
        return instance;
      },
      dispose: async (instance) => {
        instance.disposeCalls++;
        if (instance.leases > 0)
          violations.push(`instance ${instance.id} disposed with ${instance.leases} leases`);
        instance.disposed = true;
        await new Promise((resolve) => setTimeout(resolve, random() * 20));
      },
      onDisposeError: (error) => violations.push(`dispose error ${String(error)}`),
      idleTtlMs: 30,
    });
    const versions = new Map<string, number>([
      ["a", 1],
      ["b", 1],
      ["c", 1],
    ]);
    const uids = [...versions.keys()];
    let updates = 0;
    const calls: Promise<void>[] = [];
    for (let i = 0; i < 500; i++) {
      const uid = uids[Math.floor(random() * uids.length)] ?? "a";
      if (random() < 0.1) {
        versions.set(uid, (versions.get(uid) ?? 1) + 1); // the settings of this data source were saved
        updates++;
      }
      const pc = dsContext(uid, versions.get(uid) ?? 1);
      calls.push(
        (async () => {
          const lease = await manager.acquire(pc);
          const instance = lease.instance;
          if (instance.disposed) violations.push(`instance ${instance.id} lent after its disposal`);
          instance.leases++;
          await new Promise((resolve) => setTimeout(resolve, random() * 60));
          if (instance.disposed) violations.push(`instance ${instance.id} disposed during a call`);
          instance.leases--;
          lease.release();
        })(),
      );
      // Calls start at random times, so some find their instance idle past its TTL and evicted.
      await vi.advanceTimersByTimeAsync(random() * 15);
    }
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(calls);
    await vi.advanceTimersByTimeAsync(1000);
    expect(violations).toEqual([]);
    expect(updates).toBeGreaterThan(20);
    // Idle evictions happened (more instances than data sources and setting versions alone explain),
    // every instance was disposed exactly once, and nothing is left.
    expect(instances.length).toBeGreaterThan(uids.length + updates);
    expect(instances.map((i) => i.disposeCalls)).toEqual(instances.map(() => 1));
    expect(manager.size).toBe(0);
    expect(manager.active).toBe(0);
  });
});
