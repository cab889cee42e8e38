import { describe, expect, it } from "vitest";
import { serverStream } from "./server-stream.js";

describe("serverStream", () => {
  it("resolves each push only once the consumer has taken the message", async () => {
    let pushed = 0;
    let taken = 0;
    const ahead: number[] = [];
    const stream = serverStream<number>(async (push) => {
      for (let i = 0; i < 5; i++) {
        await push(i);
        pushed++;
      }
    });
    for await (const n of stream) {
      expect(n).toBe(taken);
      taken++;
      // A slow consumer: the producer gets many turns, and still has only what was taken.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      ahead.push(pushed - taken);
    }
    expect(ahead).toEqual([0, 0, 0, 0, 0]);
    expect(pushed).toBe(5);
  });

  it("ends with the producer's error", async () => {
    const stream = serverStream<number>(async (push) => {
      await push(1);
      throw new Error("broke");
    });
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of stream) seen.push(n);
      })(),
    ).rejects.toThrow("broke");
    expect(seen).toEqual([1]);
  });

  it("releases a waiting producer and fails later pushes when the consumer stops", async () => {
    let later: Promise<void> | undefined;
    let released!: () => void;
    const done = new Promise<void>((resolve) => {
      released = resolve;
    });
    const stream = serverStream<number>(async (push) => {
      await push(1);
      await push(2); // taken by nobody: released when the consumer stops
      later = push(3);
      released();
    });
    for await (const _ of stream) break;
    await done;
    await expect(later).rejects.toThrow("stream closed");
  });
});
