import { EventEmitter, on } from "node:events";

/** One note. */
export interface Note {
  id: string;
  title: string;
  body: string;
  /** When it was created, ISO 8601 UTC. */
  createdAt: string;
}

/** What a new note is made of. */
export interface NoteInput {
  title: string;
  body: string;
}

/** Options of {@link NoteStore}. */
export interface NoteStoreOptions {
  /** Most notes kept at once; `create` beyond it throws {@link NoteStoreFullError}. Default 1000. */
  maxNotes?: number;
  /** The clock, for tests. Default `() => new Date()`. */
  now?: () => Date;
}

/** Thrown by {@link NoteStore.create} when the store holds `maxNotes` notes. */
export class NoteStoreFullError extends Error {
  constructor(maxNotes: number) {
    super(`the store is full: it keeps at most ${maxNotes} notes; delete some first`);
    this.name = "NoteStoreFullError";
  }
}

/**
 * The notes of one app instance, in memory (an example: they are gone when Grafana restarts the
 * plugin or the app's settings change). Ids are increasing decimal strings, never reused. Every
 * create and delete is announced to {@link changes} iterators.
 */
export class NoteStore {
  readonly #notes = new Map<string, Note>();
  readonly #events = new EventEmitter();
  readonly #maxNotes: number;
  readonly #now: () => Date;
  #nextId = 1;

  constructor(options: NoteStoreOptions = {}) {
    this.#maxNotes = options.maxNotes ?? 1000;
    this.#now = options.now ?? (() => new Date());
    // Each Live stream listens once; more streams than Node's default of 10 are expected.
    this.#events.setMaxListeners(0);
  }

  /** Every note, oldest first. */
  list(): Note[] {
    return [...this.#notes.values()];
  }

  /** The note with `id`, or undefined. */
  get(id: string): Note | undefined {
    return this.#notes.get(id);
  }

  /** Adds a note and returns it. Throws {@link NoteStoreFullError} when the store is full. */
  create(input: NoteInput): Note {
    if (this.#notes.size >= this.#maxNotes) throw new NoteStoreFullError(this.#maxNotes);
    const note: Note = { id: String(this.#nextId++), ...input, createdAt: this.#now().toISOString() };
    this.#notes.set(note.id, note);
    this.#events.emit("change");
    return note;
  }

  /** Removes the note with `id`; false when there was none. */
  delete(id: string): boolean {
    const deleted = this.#notes.delete(id);
    if (deleted) this.#events.emit("change");
    return deleted;
  }

  /**
   * Yields once per change (create or delete) made from this call on, even before the first
   * `next()`, until `signal` aborts; then the iteration ends (it does not throw).
   */
  changes(signal: AbortSignal): AsyncIterable<void> {
    const events = on(this.#events, "change", { signal }); // listens now, not at the first next()
    return (async function* () {
      try {
        for await (const _ of events) yield;
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    })();
  }
}
