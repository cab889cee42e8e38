import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { PluginContextSchema } from "./gen/pluginv2/backend_pb.js";
import { InstanceManager } from "./instance-manager.js";
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
