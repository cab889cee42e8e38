import { PublishStreamStatus, SubscribeStreamStatus } from "@gfsdk/core";
import { frameFromJSON } from "@gfsdk/dataframe";
import { createPluginTester, fieldValues } from "@gfsdk/in-process/testing";
import { afterEach, describe, expect, it } from "vitest";
import { appPlugin, appPluginId, notesChannel } from "./app-plugin.js";

const decoder = new TextDecoder();
const app = { jsonData: {} };
let tester = createPluginTester(appPlugin, { pluginId: appPluginId, app });

afterEach(async () => {
  await tester.close();
  tester = createPluginTester(appPlugin, { pluginId: appPluginId, app }); // each test its own notes
});

const post = (body: unknown) => tester.callResource({ method: "POST", path: "notes", body: body as object });

describe("appPlugin's notes API", () => {
  it("creates, lists, gets and deletes notes", async () => {
    const created = await post({ title: "  first  ", body: "hello" });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ id: "1", title: "first", body: "hello" });
    await post({ title: "second" });

    const list = await tester.callResource({ path: "notes" });
    expect(list.json<{ title: string; body: string }[]>().map(({ title, body }) => [title, body])).toEqual([
      ["first", "hello"],
      ["second", ""],
    ]);
    expect((await tester.callResource({ path: "notes/2" })).json()).toMatchObject({
      id: "2",
      title: "second",
    });
    expect((await tester.callResource({ method: "DELETE", path: "notes/1" })).status).toBe(204);
    expect((await tester.callResource({ path: "notes/1" })).status).toBe(404);
    expect((await tester.callResource({ method: "DELETE", path: "notes/1" })).status).toBe(404);
  });

  it("refuses an invalid body with a 400 naming the field, and a body that is no JSON", async () => {
    const wrongType = await post({ title: 5 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json<{ message: string }>().message).toContain("title");
    const extra = await post({ title: "x", color: "red" });
    expect(extra.status).toBe(400);
    expect(extra.json<{ message: string }>().message).toContain("color");
    const notJson = await tester.callResource({ method: "POST", path: "notes", body: "{oops" });
    expect(notJson.status).toBe(400);
    expect((await tester.callResource({ path: "notes" })).json()).toEqual([]);
  });

  it("answers 405 with Allow for another method, 404 for another path", async () => {
    const put = await tester.callResource({ method: "PUT", path: "notes/1", body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toMatch(/GET.*DELETE|DELETE.*GET/);
    expect((await tester.callResource({ path: "elsewhere" })).status).toBe(404);
  });

  it("reports its notes in the health check", async () => {
    await post({ title: "a" });
    expect(await tester.checkHealth({ app })).toMatchObject({
      status: "OK",
      message: expect.stringContaining("1 notes"),
    });
  });
});

describe("appPlugin's Live channel", () => {
  it("gives the notes as initial data on subscribe, refuses other channels and publishing", async () => {
    await post({ title: "a" });
    const pluginContext = tester.pluginContext({ app });
    const ok = await tester.client.stream.subscribeStream({ pluginContext, path: notesChannel });
    expect(ok.status).toBe(SubscribeStreamStatus.OK);
    expect(fieldValues(frameFromJSON(decoder.decode(ok.data)), "title")).toEqual(["a"]);
    const other = await tester.client.stream.subscribeStream({ pluginContext, path: "other" });
    expect(other.status).toBe(SubscribeStreamStatus.NOT_FOUND);
    const published = await tester.client.stream.publishStream({
      pluginContext,
      path: notesChannel,
      data: new TextEncoder().encode('{"title":"x"}'),
    });
    expect(published.status).toBe(PublishStreamStatus.PERMISSION_DENIED);
  });

  it("streams the notes, schema first, then data after each change, until cancelled", async () => {
    await post({ title: "a" });
    const controller = new AbortController();
    const packets = tester.client.stream
      .runStream(
        { pluginContext: tester.pluginContext({ app }), path: notesChannel },
        { signal: controller.signal },
      )
      [Symbol.asyncIterator]();
    const first = JSON.parse(decoder.decode((await packets.next()).value!.data));
    expect(first.schema.fields.map((f: { name: string }) => f.name)).toEqual(["id", "title", "createdAt"]);
    expect(first.data.values[1]).toEqual(["a"]);

    await post({ title: "b" });
    const second = JSON.parse(decoder.decode((await packets.next()).value!.data));
    expect(second.schema).toBeUndefined();
    expect(second.data.values[1]).toEqual(["a", "b"]);

    controller.abort();
    await expect(packets.next()).rejects.toThrow();
  });
});
