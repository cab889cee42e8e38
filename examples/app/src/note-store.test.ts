import { describe, expect, it } from "vitest";
import { NoteStore, NoteStoreFullError } from "./note-store.js";

const at = new Date("2026-01-02T03:04:05.000Z");

describe("NoteStore", () => {
  it("creates, lists, gets and deletes notes with increasing ids never reused", () => {
    const store = new NoteStore({ now: () => at });
    const a = store.create({ title: "a", body: "x" });
    const b = store.create({ title: "b", body: "" });
    expect(a).toEqual({ id: "1", title: "a", body: "x", createdAt: "2026-01-02T03:04:05.000Z" });
    expect(store.list().map((n) => n.id)).toEqual(["1", "2"]);
    expect(store.get("2")).toEqual(b);
    expect(store.delete("1")).toBe(true);
    expect(store.delete("1")).toBe(false);
    expect(store.get("1")).toBeUndefined();
    expect(store.create({ title: "c", body: "" }).id).toBe("3");
  });

  it("refuses a note beyond maxNotes", () => {
    const store = new NoteStore({ maxNotes: 1 });
    store.create({ title: "a", body: "" });
    expect(() => store.create({ title: "b", body: "" })).toThrow(NoteStoreFullError);
    expect(store.list()).toHaveLength(1);
  });

  it("announces each change made after changes() is called, until its signal aborts", async () => {
    const store = new NoteStore();
    const controller = new AbortController();
    const changes = store.changes(controller.signal)[Symbol.asyncIterator]();
    store.create({ title: "a", body: "" }); // before the first next(): still seen
    expect(await changes.next()).toEqual({ done: false, value: undefined });
    const second = changes.next();
    store.delete("1");
    expect(await second).toEqual({ done: false, value: undefined });
    store.delete("1"); // no such note: no change
    const third = changes.next();
    controller.abort();
    expect(await third).toEqual({ done: true, value: undefined });
  });
});
