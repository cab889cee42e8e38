// Instances through the services: never disposed while a call uses them, whatever races.
import { describe, expect, it } from "vitest";
import { CheckHealthResponse_HealthStatus as HealthStatus } from "./gen/pluginv2/backend_pb.js";
import { definePlugin } from "./plugin.js";
import { clientFor, dsContext, queryMessage } from "./testing/service-client.js";

interface TestInstance {
  id: number;
  version: string;
  inUse: number;
  disposed: number;
}

/** Yields to the event loop `n` times: other calls, settings updates and idle timers run meanwhile. */
async function yieldTimes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("createPluginServices instances", () => {
  it("never disposes an instance while a call uses it, with settings updates racing 500 calls", async () => {
    const created: TestInstance[] = [];
    const violations: string[] = [];
    let active = 0;
    const use = async (instance: TestInstance, turns: number) => {
      if (instance.disposed > 0) violations.push(`instance ${instance.id} was disposed before its call`);
      instance.inUse++;
      await yieldTimes(turns);
      if (instance.disposed > 0) violations.push(`instance ${instance.id} was disposed during its call`);
      instance.inUse--;
    };
    const { client, services } = clientFor(
      definePlugin({
        // Idle eviction races the calls too: an instance idle for 1 ms goes.
        instanceIdleTtlMs: 1,
        createInstance: async ({ pluginContext }) => {
          await yieldTimes(1);
          const ds = pluginContext.dataSourceInstanceSettings!;
          const instance = {
            id: created.length,
            version: `${ds.uid}@${ds.updated.getTime()}`,
            inUse: 0,
            disposed: 0,
          };
          created.push(instance);
          return instance;
        },
        disposeInstance: (instance) => {
          if (instance.inUse > 0)
            violations.push(`instance ${instance.id} disposed with ${instance.inUse} calls`);
          instance.disposed++;
        },
        checkHealth: async ({ instance }) => {
          await use(instance, 2);
          return { status: HealthStatus.OK, message: instance.version };
        },
        query: async (query, { instance }) => {
          await use(instance, 1 + (Number(query.refId) % 4));
          return [];
        },
      }),
      [],
      { onActiveInstancesChange: (n) => (active = n) },
    );

    // 500 calls on 3 data sources whose settings version moves on every 7 calls: each update
    // replaces the instance while calls on the previous version are still running.
    const calls = Array.from({ length: 500 }, async (_, i) => {
      const uid = `ds${i % 3}`;
      const version = BigInt(1 + Math.floor(i / 7));
      const pluginContext = dsContext({}, version, {}, uid);
      await yieldTimes(i % 5);
      if (i % 2 === 0) {
        const res = await client.diagnostics.checkHealth({ pluginContext });
        expect(res.status).toBe(HealthStatus.OK);
        expect(res.message).toBe(`${uid}@${version}`);
      } else {
        const res = await client.data.queryData({ pluginContext, queries: [queryMessage(String(i))] });
        expect(res.responses[String(i)]?.error).toBe("");
      }
    });
    await Promise.all(calls);
    await services.close();

    expect(violations).toEqual([]);
    // Settings moved on 72 times per data source: many instances were built and each disposed once.
    expect(created.length).toBeGreaterThan(70);
    expect(created.filter((c) => c.disposed !== 1)).toEqual([]);
    expect(active).toBe(0);
  });
});
