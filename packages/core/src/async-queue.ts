/**
 * A queue between a producer that pushes and a consumer that iterates. `push` resolves when the
 * consumer has taken the value, which gives the producer back-pressure. @private Internal code.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  readonly #items: { value: T; taken: () => void }[] = [];
  #waiting: (() => void) | undefined;
  #closed = false;
  #error: { error: unknown } | undefined;

  /** Adds a value; resolves once it has been taken. Rejects when the queue is already closed. */
  push(value: T): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("stream closed"));
    return new Promise<void>((taken) => {
      this.#items.push({ value, taken });
      this.#wake();
    });
  }

  /** Ends the iteration after the queued values, or with `error`. */
  close(error?: { error: unknown }): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        const item = this.#items.shift();
        if (item) {
          item.taken();
          yield item.value;
          continue;
        }
        if (this.#closed) {
          if (this.#error) throw this.#error.error;
          return;
        }
        await new Promise<void>((resolve) => {
          this.#waiting = resolve;
        });
      }
    } finally {
      // The consumer stopped early: release producers waiting on values nobody will take.
      this.#closed = true;
      for (const item of this.#items.splice(0)) item.taken();
    }
  }
}
