import { describe, expect, it } from "vitest";
import { AsyncQueue } from "./async-queue.js";

describe("AsyncQueue", () => {
  it("delivers values in order and ends after close", async () => {
    const queue = new AsyncQueue<number>();
    const taken = [queue.push(1), queue.push(2)];
    queue.close();
    const seen: number[] = [];
    for await (const n of queue) seen.push(n);
    await Promise.all(taken);
    expect(seen).toEqual([1, 2]);
    await expect(queue.push(3)).rejects.toThrow("stream closed");
  });

  it("ends the iteration with the error it was closed with", async () => {
    const queue = new AsyncQueue<number>();
    queue.close({ error: new Error("failed") });
    await expect(
      (async () => {
        for await (const _ of queue) {
          // nothing
        }
      })(),
    ).rejects.toThrow("failed");
  });
});
